"""System settings an admin keeps: where meters must dial, and how liveness is judged."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from chalicelib.domain.models import Input

Host = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=253,
                                        pattern=r"^[A-Za-z0-9.:\-]+$")]


class SystemSettings(Input):
    listener_host: Host = Field("127.0.0.1", description="public IP or DNS name meters are configured to dial")
    listener_port: Annotated[int, Field(ge=1, le=65535)] = 4059
    online_window_s: Annotated[
        int, Field(ge=30, le=86_400, description="a meter heard from within this window is online")
    ] = 300
    push_interval_s: Annotated[int, Field(ge=10, le=86_400, description="how often meters are asked to push")] = 900


class SystemSettingsView(BaseModel):
    listener_host: str
    listener_port: int
    online_window_s: int
    push_interval_s: int
