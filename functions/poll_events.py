"""Scheduled (EventBridge, every few minutes): read the event logs of the meters online now."""
from __future__ import annotations

from typing import Any

from chalicelib.bootstrap import services


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    job = services().events.poll()
    return {"job": job["id"] if job else None}
