"""The meter archive."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.csv_routes import csv_routes
from chalicelib.api.framework import LIST_PARAMS, QueryParam, Request, route
from chalicelib.domain.models import Meter, MeterCreate, MeterPage, MeterUpdate
from chalicelib.domain.telemetry import MeterEventPage, MeterReadings, MeterStatus, UnregisteredDevicePage
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


@route(bp, "/meters/{meter_number}/status", "GET", "meters:read", "Online state, first/last seen, relay state",
       "meters", response=MeterStatus)
def meter_status(req: Request, meter_number: str) -> dict:
    return req.services.telemetry.status(req.who, meter_number)


@route(bp, "/meters/{meter_number}/readings", "GET", "meters:read",
       "Latest value per OBIS code and the interval readings of a date range (at most 31 days)", "meters",
       response=MeterReadings, query=(QueryParam("from", "first day, YYYY-MM-DD (default yesterday)"),
                                      QueryParam("to", "last day, YYYY-MM-DD (default today)")))
def meter_readings(req: Request, meter_number: str) -> dict:
    return req.services.telemetry.readings(req.who, meter_number, req.params.get("from"), req.params.get("to"))


@route(bp, "/devices/unregistered", "GET", "devices:read",
       "Devices that dialled in but are not in the archive (commission them by adding the meter)", "meters",
       response=UnregisteredDevicePage, query=tuple(p for p in LIST_PARAMS if p.name in ("q", "page", "page_size")))
def unregistered_devices(req: Request) -> dict:
    return req.services.telemetry.unregistered(req.list_query())


@route(bp, "/meters/{meter_number}/events", "GET", "meters:read", "The meter's events, newest first", "meters",
       response=MeterEventPage, query=tuple(p for p in LIST_PARAMS if p.name in ("page", "page_size")))
def meter_events(req: Request, meter_number: str) -> dict:
    return req.services.telemetry.events(req.who, meter_number, req.list_query())
