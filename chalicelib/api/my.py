"""The customer's own view (/my/...): its meters, consumption with CSV/PDF, token loads and everyday events.

Customers hold no staff permission, so every other route answers them 403; these routes name `own:read`,
which only customers hold, and the service scopes each one to the customer record of the login.
"""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.framework import LIST_PARAMS, FileResult, QueryParam, Request, route
from chalicelib.domain.self_service import MyConsumption, MyEventPage, MyMeter, MyMeters, MyTokenLoadPage

bp = Blueprint(__name__)
TAG = "self-service"
PAGING = tuple(p for p in LIST_PARAMS if p.name in ("page", "page_size"))
PERIOD = (
    QueryParam("granularity", "hourly, daily (default), weekly (ISO, Monday) or monthly"),
    QueryParam("from", "first local day, YYYY-MM-DD"), QueryParam("to", "last local day (inclusive), YYYY-MM-DD"),
)


@route(bp, "/my/meters", "GET", "own:read", "My meters with online status, relay state and credit", TAG,
       response=MyMeters)
def my_meters(req: Request) -> dict:
    return req.services.self_service.meters_of(req.who)


@route(bp, "/my/meters/{meter_number}", "GET", "own:read", "One of my meters: online status, relay state, "
       "credit, register", TAG, response=MyMeter)
def my_meter(req: Request, meter_number: str) -> dict:
    return req.services.self_service.meter(req.who, meter_number)


@route(bp, "/my/meters/{meter_number}/consumption", "GET", "own:read", "My meter's energy per hour, day, week or "
       "month (gaps are null)", TAG, response=MyConsumption, query=PERIOD)
def my_consumption(req: Request, meter_number: str) -> dict:
    return req.services.self_service.consumption(req.who, meter_number, req.params)


@route(bp, "/my/meters/{meter_number}/consumption/export", "GET", "own:read", "My meter's consumption as CSV "
       "(one row per period) or PDF (chart and table)", TAG, query=(*PERIOD, QueryParam("format", "csv (default) "
       "or pdf")), produces="text/csv")
def my_consumption_export(req: Request, meter_number: str) -> FileResult:
    out = req.services.self_service.consumption_file(req.who, meter_number, req.params)
    return FileResult(out.content, out.filename, out.content_type)


@route(bp, "/my/meters/{meter_number}/tokens", "GET", "own:read", "My meter's token loads, newest first", TAG,
       response=MyTokenLoadPage, query=PAGING)
def my_tokens(req: Request, meter_number: str) -> dict:
    return req.services.self_service.tokens(req.who, meter_number, req.list_query())


@route(bp, "/my/meters/{meter_number}/events", "GET", "own:read", "My meter's recent events (power, relay, "
       "clock, tokens; no security events), newest first", TAG, response=MyEventPage, query=PAGING)
def my_events(req: Request, meter_number: str) -> dict:
    return req.services.self_service.events_of(req.who, meter_number, req.list_query())
