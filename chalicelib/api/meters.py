"""The meter archive."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.csv_routes import csv_routes
from chalicelib.api.framework import LIST_PARAMS, QueryParam, Request, route
from chalicelib.domain.models import Meter, MeterCreate, MeterPage, MeterUpdate
from chalicelib.services.meters import EXPORT_HEADERS

bp = Blueprint(__name__)
FILTERS = (
    QueryParam("status", "warehouse, installed, active, faulty or decommissioned"),
    QueryParam("unassigned", "true: only meters not assigned to a customer", "boolean"),
)


@route(bp, "/meters", "GET", "meters:read", "List meters (customers see only their own)", "meters",
       response=MeterPage, query=LIST_PARAMS + FILTERS)
def list_meters(req: Request) -> dict:
    return req.services.meters.find(req.who, req.list_query("status", "unassigned"))


@route(bp, "/meters", "POST", "meters:write", "Add a meter to the archive", "meters",
       body=MeterCreate, response=Meter, status=201, extra_errors=(409,))
def create_meter(req: Request) -> dict:
    return req.services.meters.create(req.who, req.body)


csv_routes(bp, "meters", "meters", EXPORT_HEADERS,
           lambda req: req.services.meters.export_rows(req.who, req.list_query("status", "unassigned")), FILTERS)


@route(bp, "/meters/{meter_number}", "GET", "meters:read", "One meter", "meters", response=Meter)
def get_meter(req: Request, meter_number: str) -> dict:
    return req.services.meters.get(req.who, meter_number)


@route(bp, "/meters/{meter_number}", "PATCH", "meters:write", "Change a meter", "meters",
       body=MeterUpdate, response=Meter)
def update_meter(req: Request, meter_number: str) -> dict:
    return req.services.meters.update(req.who, meter_number, req.body)


@route(bp, "/meters/{meter_number}", "DELETE", "meters:write", "Delete a meter not assigned to a customer",
       "meters", status=204, extra_errors=(409,))
def delete_meter(req: Request, meter_number: str) -> None:
    req.services.meters.delete(req.who, meter_number)
