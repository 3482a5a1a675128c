"""The stack's inputs: the stage from `-c stage=dev|prod`, its secret from `.chalice/config.json`, resource
names from the defaults in `chalicelib/settings.py`, and a few optional context values (see infra/README.md)."""
from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib.settings import Settings
from infra.hes_stack import REPO, HesStackProps, Names

CHALICE_CONFIG = REPO / ".chalice" / "config.json"


class ConfigError(ValueError):
    """The context does not describe a deployable stage."""


def names_for(stage: str) -> Names:
    defaults = Settings.model_fields
    return Names(**{
        field: f"{defaults[setting].default}-{stage}"
        for field, setting in (("frames", "frames_queue"), ("commands", "commands_queue"),
                               ("exports", "exports_queue"), ("rules", "rules_queue"),
                               ("reports_bucket_stem", "reports_bucket"))})


def secret_name_for(stage: str, chalice_config: Path = CHALICE_CONFIG) -> str:
    stages = json.loads(chalice_config.read_text())["stages"]
    secret = stages.get(stage, {}).get("environment_variables", {}).get("HES_SECRETS_ID")
    if stage == "local" or not secret:
        deployable = sorted(s for s, c in stages.items() if c.get("environment_variables", {}).get("HES_SECRETS_ID"))
        raise ConfigError(f"stage: '{stage}' is not deployable; pass -c stage={'|'.join(deployable)} "
                          f"(stages with HES_SECRETS_ID in {chalice_config.relative_to(REPO)})")
    return str(secret)


def props_from_context(context: Mapping[str, Any]) -> HesStackProps:
    stage = str(context.get("stage") or "")
    secret_name = secret_name_for(stage)
    timezone = str(context.get("timezone") or Settings.model_fields["timezone"].default)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"timezone: '{timezone}' is not an IANA time zone") from exc
    try:
        edge_tasks = int(context.get("edgeTasks", 1))
    except (TypeError, ValueError) as exc:
        raise ConfigError("edgeTasks: must be a whole number") from exc
    if edge_tasks < 1:
        raise ConfigError("edgeTasks: at least one edge listener task must run")
    return HesStackProps(stage=stage, secret_name=secret_name, names=names_for(stage), timezone=timezone,
                         edge_tasks=edge_tasks)
