"""Operations: dashboard, active alerts, event report and analysis, consumption, online rate,
interval data import; every table downloadable as CSV and PDF."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from chalice import Blueprint

from chalicelib.api.csv_routes import DRY_RUN
from chalicelib.api.framework import LIST_PARAMS, FileResult, QueryParam, Request, route
from chalicelib.domain.csv_export import write_csv
from chalicelib.domain.operations import (
    AcknowledgeMany,
    AcknowledgeOne,
    AcknowledgeResult,
    AlertPage,
    ConsumptionReport,
    DashboardSummary,
    EventAnalysis,
    EventPage,
    EventTypes,
    OnlineRatePage,
    ReadingImportReport,
)
from chalicelib.domain.pdf_report import Chart, build_pdf
from chalicelib.errors import BadRequest
from chalicelib.services.common import ListQuery
from chalicelib.services.consumption import CSV_HEADERS
from chalicelib.services.dashboard import ONLINE_HEADERS
from chalicelib.services.event_log import EXPORT_HEADERS

bp = Blueprint(__name__)
AREA = QueryParam("area", "area id; omit for all areas")
PAGING = tuple(p for p in LIST_PARAMS if p.name in ("page", "page_size"))
FORMAT = QueryParam("format", "csv (default) or pdf")
EVENT_FILTERS = (
    QueryParam("from", "first local day (YYYY-MM-DD) or an ISO time"),
    QueryParam("to", "last local day (inclusive) or an ISO time"),
    QueryParam("meter", "meter number"), AREA, QueryParam("type", "event type, e.g. meter_cover_opened"),
    QueryParam("severity", "info, warning, high or critical"), QueryParam("tamper", "true: tamper events only"),
)
ALERT_FILTERS = (
    QueryParam("status", "active (default), acknowledged or all"), AREA,
    QueryParam("severity", "info, warning, high or critical"), QueryParam("meter", "meter number"),
    QueryParam("type", "alert type"),
)
CONSUMPTION_PARAMS = (
    QueryParam("meter", "meter number (or give an area, or neither for all areas)"), AREA,
    QueryParam("granularity", "hourly, daily (default), weekly (ISO, Monday) or monthly"),
    QueryParam("from", "first local day, YYYY-MM-DD"), QueryParam("to", "last local day (inclusive), YYYY-MM-DD"),
)
ONLINE_PARAMS = (QueryParam("filter", "never: never online; online: has been online"), AREA,
                 QueryParam("q", "part of a meter number"))


def _query(req: Request, *filters: str) -> ListQuery:
    return req.list_query(*filters)


def _format(req: Request) -> str:
    fmt = (req.params.get("format") or "csv").lower()
    if fmt not in ("csv", "pdf"):
        raise BadRequest(f"unknown format '{fmt}'", [{"field": "format", "message": "csv or pdf"}])
    return fmt


def table_file(req: Request, name: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
               chart: Chart | None = None, filters: list[tuple[str, str]] | None = None) -> FileResult:
    """The table as CSV (formula-safe) or as a PDF with its filters, generation time and chart."""
    fmt = _format(req)
    tz = ZoneInfo(req.services.settings.timezone)
    moment = datetime.now(UTC).astimezone(tz)
    stamp = moment.strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        return FileResult(write_csv(headers, rows), f"{name}-{stamp}.csv")
    used = filters if filters is not None else [
        (k, v) for k, v in sorted(req.params.items()) if v and k not in ("format", "page", "page_size")]
    pdf = build_pdf(title, used, list(headers), rows, moment, chart)
    return FileResult(pdf, f"{name}-{stamp}.pdf", "application/pdf")


# --- dashboard ---------------------------------------------------------------------------------
@route(bp, "/dashboard/summary", "GET", "reports:read", "Meter counts, active alerts, the last hour's energy "
       "per 5 minutes, top areas and latest events", "operations", response=DashboardSummary, query=(AREA,))
def dashboard_summary(req: Request) -> dict:
    return req.services.dashboard.summary(req.params.get("area") or None)


# --- alerts ------------------------------------------------------------------------------------
@route(bp, "/alerts", "GET", "reports:read", "Alerts: the active inbox (critical first, then newest) or the "
       "acknowledged ones", "operations", response=AlertPage, query=ALERT_FILTERS + PAGING)
def list_alerts(req: Request) -> dict:
    return req.services.alerts.find(_query(req, "status", "severity", "meter", "type"))


@route(bp, "/alerts/{alert_id}/acknowledge", "POST", "alerts:acknowledge", "Acknowledge one alert with an "
       "optional note; it moves to the event log", "operations", body=AcknowledgeOne, response=AcknowledgeResult)
def acknowledge_alert(req: Request, alert_id: str) -> dict:
    return req.services.alerts.acknowledge(req.who, [alert_id], req.body.note)


@route(bp, "/alerts/acknowledge", "POST", "alerts:acknowledge", "Acknowledge several alerts (all or none)",
       "operations", body=AcknowledgeMany, response=AcknowledgeResult)
def acknowledge_alerts(req: Request) -> dict:
    return req.services.alerts.acknowledge(req.who, req.body.ids, req.body.note)


# --- events ------------------------------------------------------------------------------------
@route(bp, "/events", "GET", "reports:read", "The event report: every meter event, newest first", "operations",
       response=EventPage, query=EVENT_FILTERS + PAGING)
def list_events(req: Request) -> dict:
    return req.services.event_log.find(_query(req, "from", "to", "meter", "type", "severity", "tamper"))


@route(bp, "/events/types", "GET", "reports:read", "Event types recorded so far", "operations",
       response=EventTypes)
def event_types(req: Request) -> dict:
    return {"items": req.services.event_log.types()}


@route(bp, "/events/export", "GET", "reports:read", "The filtered event report as CSV or PDF", "operations",
       query=(*EVENT_FILTERS, FORMAT), produces="text/csv")
def export_events(req: Request) -> FileResult:
    query = _query(req, "from", "to", "meter", "type", "severity", "tamper")
    rows = list(req.services.event_log.export_rows(query))
    chart = None
    if _format(req) == "pdf":
        analysis = req.services.event_log.analysis(query)
        days = [d["day"] for d in analysis["by_day"]]
        chart = Chart("bar", days, {"Events": [float(sum(d["counts"].values())) for d in analysis["by_day"]],
                                    "Tamper": [float(t["count"]) for t in analysis["tamper_trend"]]}, "events")
    return table_file(req, "events", "Event report", EXPORT_HEADERS, rows, chart)


@route(bp, "/events/analysis", "GET", "reports:read", "Events by type over time, by area, top meters and the "
       "tamper trend", "operations", response=EventAnalysis, query=EVENT_FILTERS)
def events_analysis(req: Request) -> dict:
    return req.services.event_log.analysis(_query(req, "from", "to", "meter", "type", "severity", "tamper"))


# --- consumption -------------------------------------------------------------------------------
@route(bp, "/consumption", "GET", "reports:read", "Energy from register differences per period, with gaps as "
       "null, plus per-meter totals for an area or all areas", "operations", response=ConsumptionReport,
       query=CONSUMPTION_PARAMS)
def consumption(req: Request) -> dict:
    return req.services.consumption.report(req.who, req.params)


@route(bp, "/consumption/export", "GET", "reports:read", "The consumption report: CSV with one row per meter per "
       "period, or a PDF with the chart and the per-meter (or per-period) table", "operations",
       query=(*CONSUMPTION_PARAMS, FORMAT), produces="text/csv")
def export_consumption(req: Request) -> FileResult:
    svc = req.services.consumption
    if _format(req) == "csv":
        return table_file(req, "consumption", "Energy consumption", CSV_HEADERS, svc.csv_rows(req.who, req.params))
    report = svc.report(req.who, req.params)
    chart = Chart("bar" if report["granularity"] != "hourly" else "line", [p["period"] for p in report["series"]],
                  {"Import": [p["import_kwh"] for p in report["series"]],
                   "Export": [p["export_kwh"] for p in report["series"]]}, "kWh")
    where = report["meter_number"] or report["area_id"] or "all areas"
    filters = [("Scope", f"{report['scope']}: {where}"), ("Granularity", report["granularity"]),
               ("From", report["from"]), ("To", report["to"]), ("Time zone", report["timezone"]),
               ("Total import kWh", str(report["totals"]["import_kwh"]))]
    if report["rows"]:
        headers = ["Meter Number", "Customer", "Area", "Import kWh", "Export kWh", "Days With Data"]
        rows: list[list[Any]] = [[r["meter_number"], r["customer_name"], r["area_name"], r["import_kwh"],
                                  r["export_kwh"], r["days_with_data"]] for r in report["rows"]]
    else:
        headers = ["Period", "Import kWh", "Export kWh", "Readings"]
        rows = [[p["period"], p["import_kwh"], p["export_kwh"], p["readings"]] for p in report["series"]]
    return table_file(req, "consumption", "Energy consumption", headers, rows, chart, filters)


# --- online rate -------------------------------------------------------------------------------
@route(bp, "/online-rate", "GET", "reports:read", "Every meter's visibility, the summary and the daily online "
       "rate of the last 30 days", "operations", response=OnlineRatePage, query=ONLINE_PARAMS + PAGING)
def online_rate(req: Request) -> dict:
    return req.services.dashboard.online_rate(_query(req, "filter"))


@route(bp, "/online-rate/export", "GET", "reports:read", "The online-rate table as CSV or PDF", "operations",
       query=(*ONLINE_PARAMS, FORMAT), produces="text/csv")
def export_online_rate(req: Request) -> FileResult:
    query = _query(req, "filter")
    rows = list(req.services.dashboard.online_export_rows(query))
    chart = None
    if _format(req) == "pdf":
        trend = req.services.dashboard.trend(query.area)
        chart = Chart("line", [t["day"] for t in trend], {"Online rate": [t["online_rate"] for t in trend]}, "%")
    return table_file(req, "online-rate", "Online rate", ONLINE_HEADERS, rows, chart)


# --- interval data import ----------------------------------------------------------------------
@route(bp, "/readings/import", "POST", "readings:import", "Import interval readings (cumulative registers) from "
       "CSV: all or nothing, idempotent, through the same rollups as live data", "operations",
       response=ReadingImportReport, query=(DRY_RUN,), consumes="text/csv", extra_errors=(413, 422))
def import_readings(req: Request) -> dict:
    return req.services.reading_import.run(req.who, req.upload(), req.flag("dry_run"))
