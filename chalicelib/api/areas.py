"""Areas."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.framework import LIST_PARAMS, Request, route
from chalicelib.domain.models import Area, AreaCreate, AreaPage, AreaUpdate

bp = Blueprint(__name__)
PARAMS = tuple(p for p in LIST_PARAMS if p.name != "area")


@route(bp, "/areas", "GET", "areas:read", "List areas with their meter counts", "areas",
       response=AreaPage, query=PARAMS)
def list_areas(req: Request) -> dict:
    return req.services.areas.find(req.list_query())


@route(bp, "/areas", "POST", "areas:write", "Create an area", "areas", body=AreaCreate, response=Area,
       status=201, extra_errors=(409,))
def create_area(req: Request) -> dict:
    return req.services.areas.create(req.who, req.body)


@route(bp, "/areas/{area_id}", "GET", "areas:read", "One area", "areas", response=Area)
def get_area(req: Request, area_id: str) -> dict:
    return req.services.areas.get(area_id)


@route(bp, "/areas/{area_id}", "PATCH", "areas:write", "Rename or describe an area", "areas",
       body=AreaUpdate, response=Area, extra_errors=(409,))
def update_area(req: Request, area_id: str) -> dict:
    return req.services.areas.update(req.who, area_id, req.body)


@route(bp, "/areas/{area_id}", "DELETE", "areas:write", "Delete an area that has no meters", "areas",
       status=204, extra_errors=(409,))
def delete_area(req: Request, area_id: str) -> None:
    req.services.areas.delete(req.who, area_id)


