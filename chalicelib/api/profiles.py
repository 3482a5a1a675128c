"""Device profiles (any brand by OBIS code)."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.csv_routes import DRY_RUN
from chalicelib.api.framework import LIST_PARAMS, FileResult, QueryParam, Request, route
from chalicelib.dlms.obis import catalogue
from chalicelib.domain import csv_import
from chalicelib.domain.jobs import JobAccepted
from chalicelib.domain.models import ImportReport, page_model
from chalicelib.domain.profiles import (
    DeviceProfile,
    DeviceProfileCreate,
    DeviceProfileUpdate,
    DiscoveryResult,
    ObisCatalogPage,
)
from chalicelib.errors import BadRequest
from chalicelib.services.profiles import OBJECT_COLUMNS

bp = Blueprint(__name__)
DeviceProfilePage = page_model("DeviceProfilePage", DeviceProfile)
PARAMS = tuple(p for p in LIST_PARAMS if p.name != "area")


@route(bp, "/device-profiles", "GET", "profiles:read", "List device profiles", "device-profiles",
       response=DeviceProfilePage, query=PARAMS)
def list_profiles(req: Request) -> dict:
    return req.services.profiles.find(req.list_query())


@route(bp, "/device-profiles", "POST", "profiles:write", "Create a device profile (brand, model)", "device-profiles",
       body=DeviceProfileCreate, response=DeviceProfile, status=201, extra_errors=(409,))
def create_profile(req: Request) -> dict:
    return req.services.profiles.create(req.who, req.body)


@route(bp, "/device-profiles/objects/template", "GET", "profiles:read", "CSV template of an OBIS file",
       "device-profiles", produces="text/csv")
def profile_objects_template(req: Request) -> FileResult:
    return FileResult(csv_import.template(OBJECT_COLUMNS), "obis-file-template.csv")


@route(bp, "/device-profiles/{profile_id}", "GET", "profiles:read", "One device profile with its objects",
       "device-profiles", response=DeviceProfile)
def get_profile(req: Request, profile_id: str) -> dict:
    return req.services.profiles.get(profile_id)


@route(bp, "/device-profiles/{profile_id}", "PATCH", "profiles:write",
       "Change a profile, its objects or its push layout", "device-profiles",
       body=DeviceProfileUpdate, response=DeviceProfile, extra_errors=(409,))
def update_profile(req: Request, profile_id: str) -> dict:
    return req.services.profiles.update(req.who, profile_id, req.body)


@route(bp, "/device-profiles/{profile_id}", "DELETE", "profiles:write", "Delete a profile no meter uses",
       "device-profiles", status=204, extra_errors=(409,))
def delete_profile(req: Request, profile_id: str) -> None:
    req.services.profiles.delete(req.who, profile_id)


@route(bp, "/device-profiles/{profile_id}/objects/import", "POST", "profiles:write",
       "Replace the profile's objects with an OBIS file (all or nothing)", "device-profiles",
       response=ImportReport, query=(DRY_RUN,), consumes="text/csv", extra_errors=(413, 422))
def import_profile_objects(req: Request, profile_id: str) -> dict:
    return req.services.profiles.import_objects(req.who, profile_id, req.upload(), req.flag("dry_run"))


@route(bp, "/obis/catalog", "GET", "profiles:read", "The standard OBIS catalogue: by code prefix or by words",
       "device-profiles", response=ObisCatalogPage,
       query=(QueryParam("q", "an OBIS code or prefix (1.0.32, 1-0:32.7) or words (voltage L1)"),
              QueryParam("limit", "at most this many (1-100)", "integer")))
def obis_catalog(req: Request) -> dict:
    q = (req.params.get("q") or "").strip()
    found = catalogue().search(q, req.number("limit", 20, 1, 100)) if q else []
    items = [{"obis": e.pattern, "class_ids": list(e.class_ids), "description": e.description} for e in found]
    return {"items": items, "total": len(items)}


@route(bp, "/device-profiles/{profile_id}/discover", "POST", "commands:execute",
       "Read a connected meter's association object list (?meter=); the result lists its objects", "device-profiles",
       response=JobAccepted, status=202, query=(QueryParam("meter", "meter number of a connected meter"),))
def discover_objects(req: Request, profile_id: str) -> dict:
    meter = (req.params.get("meter") or "").strip()
    if not meter:
        raise BadRequest("say which meter to read: ?meter=<meter number>",
                         [{"field": "meter", "message": "is required"}])
    return req.services.discovery.start(req.who, profile_id, meter)


@route(bp, "/device-profiles/{profile_id}/discover/{job_id}", "GET", "profiles:read",
       "The objects a discovery found, marked when already in the profile", "device-profiles",
       response=DiscoveryResult)
def discovered_objects(req: Request, profile_id: str, job_id: str) -> dict:
    return req.services.discovery.result(profile_id, job_id)
