"""Operations: dashboard, active alerts, event report and analysis, consumption, online rate,
interval data import; every table downloadable as CSV and PDF."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.csv_routes import DRY_RUN
from chalicelib.api.framework import LIST_PARAMS, FileResult, QueryParam, Request, route
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
    ImportUploadCreate,
    ImportUploadStatus,
    ImportUploadTarget,
    OnlineRatePage,
    ReadingImportReport,
    Report,
    ReportAccepted,
    ReportCreate,
    ReportPage,
    ReportSchedules,
    ReportSchedulesPut,
)

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


def rendered_file(req: Request, kind: str) -> FileResult:
    """The table as CSV (formula-safe) or as a PDF with its filters, generation time and chart."""
    out = req.services.exports.render(req.who, kind, req.params.get("format"), req.params)
    return FileResult(out.content, out.filename, out.content_type)


# --- dashboard ---------------------------------------------------------------------------------
@route(bp, "/dashboard/summary", "GET", "reports:read", "Meter counts, active alerts, the last hour's energy "
       "per 5 minutes, top areas and latest events", "operations", response=DashboardSummary, query=(AREA,))
def dashboard_summary(req: Request) -> dict:
    return req.services.dashboard.summary(req.params.get("area") or None)


# --- alerts ------------------------------------------------------------------------------------
@route(bp, "/alerts", "GET", "reports:read", "Alerts: the active inbox (critical first, then newest) or the "
       "acknowledged ones", "operations", response=AlertPage, query=ALERT_FILTERS + PAGING)
def list_alerts(req: Request) -> dict:
    return req.services.alerts.find(req.list_query("status", "severity", "meter", "type"))


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
    return req.services.event_log.find(req.list_query("from", "to", "meter", "type", "severity", "tamper"))


@route(bp, "/events/types", "GET", "reports:read", "Event types recorded so far", "operations",
       response=EventTypes)
def event_types(req: Request) -> dict:
    return {"items": req.services.event_log.types()}


@route(bp, "/events/export", "GET", "reports:read", "The filtered event report as CSV or PDF", "operations",
       query=(*EVENT_FILTERS, FORMAT), produces="text/csv")
def export_events(req: Request) -> FileResult:
    return rendered_file(req, "events")


@route(bp, "/events/analysis", "GET", "reports:read", "Events by type over time, by area, top meters and the "
       "tamper trend", "operations", response=EventAnalysis, query=EVENT_FILTERS)
def events_analysis(req: Request) -> dict:
    return req.services.event_log.analysis(req.list_query("from", "to", "meter", "type", "severity", "tamper"))


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
    return rendered_file(req, "consumption")


# --- online rate -------------------------------------------------------------------------------
@route(bp, "/online-rate", "GET", "reports:read", "Every meter's visibility, the summary and the daily online "
       "rate of the last 30 days", "operations", response=OnlineRatePage, query=ONLINE_PARAMS + PAGING)
def online_rate(req: Request) -> dict:
    return req.services.dashboard.online_rate(req.list_query("filter"))


@route(bp, "/online-rate/export", "GET", "reports:read", "The online-rate table as CSV or PDF", "operations",
       query=(*ONLINE_PARAMS, FORMAT), produces="text/csv")
def export_online_rate(req: Request) -> FileResult:
    return rendered_file(req, "online-rate")


# --- interval data import ----------------------------------------------------------------------
@route(bp, "/readings/import", "POST", "readings:import", "Import interval readings (cumulative registers) from "
       "CSV: all or nothing, idempotent, through the same rollups as live data", "operations",
       response=ReadingImportReport, query=(DRY_RUN,), consumes="text/csv", extra_errors=(413, 422))
def import_readings(req: Request) -> dict:
    return req.services.reading_import.run(req.who, req.upload(), req.flag("dry_run"))


@route(bp, "/readings/import/uploads", "POST", "readings:import", "Start a large interval import: where to PUT the "
       "CSV file (S3 in the cloud), before running it in the background", "operations", body=ImportUploadCreate,
       response=ImportUploadTarget, status=201)
def create_import_upload(req: Request) -> dict:
    return req.services.import_uploads.create(req.who, req.body.filename)


@route(bp, "/readings/import/uploads/{upload_id}/file", "PUT", "readings:import", "The CSV file of an upload, "
       "through the API (the local stage's upload URL)", "operations", response=ImportUploadStatus,
       consumes="text/csv", extra_errors=(404, 409))
def put_import_upload(req: Request, upload_id: str) -> dict:
    return req.services.import_uploads.put_file(req.who, upload_id, req.upload())


@route(bp, "/readings/import/uploads/{upload_id}/run", "POST", "readings:import", "Check (dry_run=true) or import "
       "an uploaded file in the background; poll GET /readings/import/uploads/{id}", "operations",
       response=ImportUploadStatus, status=202, query=(DRY_RUN,), extra_errors=(404, 409))
def run_import_upload(req: Request, upload_id: str) -> dict:
    return req.services.import_uploads.start(req.who, upload_id, req.flag("dry_run"))


@route(bp, "/readings/import/uploads/{upload_id}", "GET", "readings:import", "An upload's state, and its report "
       "or errors once the background run has finished", "operations", response=ImportUploadStatus,
       extra_errors=(404,))
def get_import_upload(req: Request, upload_id: str) -> dict:
    return req.services.import_uploads.get(req.who, upload_id)


# --- background and scheduled reports ----------------------------------------------------------
@route(bp, "/reports", "GET", "reports:read", "Background and scheduled report files, newest first", "operations",
       response=ReportPage, query=(AREA, QueryParam("kind", "consumption, events or online-rate"),
                                   QueryParam("scheduled", "true: scheduled ones only"), *PAGING))
def list_reports(req: Request) -> dict:
    return req.services.exports.find(req.list_query("kind", "scheduled"))


@route(bp, "/reports", "POST", "reports:read", "Build a report file in the background (S3); poll GET /reports/{id} "
       "for its download URL", "operations", body=ReportCreate, response=ReportAccepted, status=202)
def start_report(req: Request) -> dict:
    return req.services.exports.start(req.who, req.body.kind, req.body.format, req.body.params)


@route(bp, "/reports/schedules", "GET", "reports:read", "Scheduled consumption exports (daily: yesterday by hour; "
       "monthly: last month by day)", "operations", response=ReportSchedules)
def list_schedules(req: Request) -> dict:
    return req.services.exports.list_schedules()


@route(bp, "/reports/schedules", "PUT", "settings:manage", "Replace the scheduled exports", "operations",
       body=ReportSchedulesPut, response=ReportSchedules)
def put_schedules(req: Request) -> dict:
    areas = req.services.areas.areas
    return req.services.exports.put_schedules(req.who, [i.model_dump() for i in req.body.items],
                                              lambda area_id: areas.get(area_id) is not None)


@route(bp, "/reports/{report_id}", "GET", "reports:read", "A report's state; when done, a presigned download URL",
       "operations", response=Report)
def get_report(req: Request, report_id: str) -> dict:
    return req.services.exports.get(report_id)
