"""Health and the OpenAPI document."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib import __version__
from chalicelib.adapters.db import ping
from chalicelib.api.framework import PUBLIC, Request, route
from chalicelib.api.openapi import openapi_document
from chalicelib.domain.models import Health
from chalicelib.domain.system import SystemSettings, SystemSettingsView

bp = Blueprint(__name__)


@route(bp, "/health", "GET", PUBLIC, "Service and database health", "system", response=Health)
def health(req: Request) -> dict:
    return {"status": "ok", "database": "ok" if ping(req.services.db) else "down",
            "stage": req.services.settings.stage, "version": __version__}


@route(bp, "/openapi.json", "GET", PUBLIC, "This API as an OpenAPI 3.1 document", "system")
def openapi(req: Request) -> dict:
    return openapi_document()


@route(bp, "/settings", "GET", "settings:manage", "System settings (listener address, liveness window)", "system",
       response=SystemSettingsView)
def get_settings(req: Request) -> dict:
    return req.services.system.get()


@route(bp, "/settings", "PUT", "settings:manage", "Replace the system settings", "system",
       body=SystemSettings, response=SystemSettingsView)
def put_settings(req: Request) -> dict:
    return req.services.system.put(req.who, req.body)
