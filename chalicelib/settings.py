"""One validated settings object for every process (API, functions, edge listener, tools)."""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import (
    AWSSecretsManagerSettingsSource,
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

LOCAL_JWT_SECRET = "local-dev-only-jwt-secret-change-me"
LOCAL_ADMIN_PASSWORD = "admin-change-me"
LOCAL_METER_KEY_SECRET = "local-dev-only-meter-key-secret"


class SettingsError(RuntimeError):
    """Raised when the configuration is unusable for the selected stage."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HES_", extra="ignore")

    stage: Literal["local", "dev", "prod"] = "local"
    mongodb_uri: str | None = Field(default=None, description="MongoDB URI; unset in local = embedded server")
    db_name: str = "hes"
    jwt_secret: str = LOCAL_JWT_SECRET
    admin_password: str | None = None
    meter_key_secret: str = Field(default=LOCAL_METER_KEY_SECRET, description="seals meter passwords and keys")
    meter_password: str = Field(default="00000000", description="low-level security password of meters without one")
    access_token_ttl_s: int = Field(default=900, ge=60, le=86_400)
    refresh_token_ttl_s: int = Field(default=7 * 86_400, ge=300)
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_s: int = Field(default=300, ge=1)
    max_import_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    max_interval_import_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)
    timezone: str = "Africa/Lagos"
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=1, le=65535)
    db_port: int = Field(default=27027, ge=1, le=65535)
    aws_port: int = Field(default=5055, ge=1, le=65535, description="local moto server (SQS/S3 stand-in)")
    edge_host: str = "0.0.0.0"
    edge_port: int = Field(default=4059, ge=1, le=65535)
    edge_idle_timeout_s: float = Field(default=180.0, ge=5, description="close a socket silent this long")
    edge_keepalive_s: int = Field(default=60, ge=0, description="TCP keep-alive probes after this much silence; 0 off")
    edge_max_connections: int = Field(default=20_000, ge=1)
    edge_id: str = Field(default="", pattern=r"^[A-Za-z0-9_-]{0,40}$",
                         description="with several edge tasks, this one's name: it also takes the commands for the "
                         "meters it holds from <commands_queue>-<edge_id>; empty = the only edge")
    demo: bool = Field(default=True, description="make run: load the samples and run the simulated fleet")
    demo_push_interval_s: int = Field(default=60, ge=1)
    demo_customer_password: str | None = Field(default=None, min_length=10, description="make run: password of the "
                                               "demo `customer` login; unset = generated and printed once")
    event_poll_s: int = Field(default=5, ge=2, description="local runner: how often event logs of online meters are "
                              "read (in the cloud, the poll_events schedule's rate)")
    frames_queue: str = "hes-frames"
    commands_queue: str = "hes-commands"
    exports_queue: str = "hes-exports"
    rules_queue: str = "hes-rules"
    reports_bucket: str = "hes-reports"
    data_dir: str = ".data"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Environment first; then, in the cloud, the JSON secret named by HES_SECRETS_ID (keys like HES_JWT_SECRET)."""
        secret_id = os.environ.get("HES_SECRETS_ID")
        if not secret_id:
            return init_settings, env_settings
        secrets = AWSSecretsManagerSettingsSource(settings_cls, secret_id, env_prefix="HES_", case_sensitive=False)
        return init_settings, env_settings, secrets

    @model_validator(mode="after")
    def _refuse_default_secrets_outside_local(self) -> Settings:
        if self.stage == "local":
            return self
        problems = []
        if not self.jwt_secret or self.jwt_secret == LOCAL_JWT_SECRET or len(self.jwt_secret) < 32:
            problems.append("HES_JWT_SECRET must be set to a random string of at least 32 characters")
        if not self.admin_password or self.admin_password == LOCAL_ADMIN_PASSWORD:
            problems.append("HES_ADMIN_PASSWORD must be set (the local default is refused)")
        if self.meter_key_secret == LOCAL_METER_KEY_SECRET or len(self.meter_key_secret) < 32:
            problems.append("HES_METER_KEY_SECRET must be set to a random string of at least 32 characters")
        if not self.mongodb_uri:
            problems.append("HES_MONGODB_URI must be set (no embedded database outside the local stage)")
        if problems:
            raise SettingsError(f"stage '{self.stage}' refuses to start: " + "; ".join(problems))
        return self

    @property
    def bootstrap_admin_password(self) -> tuple[str, bool]:
        """The admin's first password and whether it must be changed at first login."""
        if self.admin_password:
            return self.admin_password, False
        return LOCAL_ADMIN_PASSWORD, True


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
