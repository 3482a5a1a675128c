"""CDK entry point, run by the CDK CLI from infra/ (cdk.json): `npx aws-cdk@2 deploy -c stage=dev`."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # chalicelib and infra as packages

import aws_cdk as cdk

from infra.config import ConfigError, props_from_context
from infra.hes_stack import HesStack

CONTEXT_KEYS = ("stage", "edgeTasks", "timezone")


def build(app: cdk.App) -> HesStack:
    """The stage's stack from the app's context (`-c key=value`); ConfigError names the value that is wrong."""
    context = {key: app.node.try_get_context(key) for key in CONTEXT_KEYS}
    props = props_from_context({key: value for key, value in context.items() if value is not None})
    return HesStack(app, f"hes-core-{props.stage}", props, description=f"HES Core pipeline ({props.stage})")


def main() -> None:
    app = cdk.App()
    try:
        build(app)
    except ConfigError as exc:
        sys.exit(f"infra: {exc}")
    app.synth()


if __name__ == "__main__":
    main()
