"""Report files: the same CSV / PDF tables served directly by the API, built in the background into
S3 for large ones, and on a schedule (daily and monthly consumption per area).

A background or scheduled report is a document in `reports` (queued -> running -> done | failed);
the file lives in S3 and is handed out as a presigned URL, so API responses stay small.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from chalicelib.adapters import storage
from chalicelib.adapters.repositories import now
from chalicelib.domain.csv_export import write_csv
from chalicelib.domain.pdf_report import Chart, build_pdf
from chalicelib.errors import BadRequest, DomainError, NotFound
from chalicelib.services.common import ListQuery, page_of
from chalicelib.services.consumption import CSV_HEADERS, ConsumptionService
from chalicelib.services.context import Auditor, Principal
from chalicelib.services.dashboard import ONLINE_HEADERS, DashboardService
from chalicelib.services.event_log import EXPORT_HEADERS, EventLogService

KINDS = ("consumption", "events", "online-rate")
TITLES = {"consumption": "Energy consumption", "events": "Event report", "online-rate": "Online rate"}
EVENT_FILTERS = ("from", "to", "meter", "type", "severity", "tamper")
CADENCES = ("daily", "monthly")


@dataclass
class Rendered:
    content: bytes | str
    filename: str
    content_type: str


def packaged(title: str, name: str, fmt: str | None, headers: Sequence[str], rows: Iterable[Sequence[Any]],
             chart: Chart | None, filters: list[tuple[str, str]], tz: ZoneInfo) -> Rendered:
    """A table as a CSV file (formula-safe) or a PDF with its title, filters, generation time and chart."""
    fmt = _format(fmt)
    moment = datetime.now(UTC).astimezone(tz)
    filename = f"{name}-{moment.strftime('%Y%m%d-%H%M')}.{fmt}"
    if fmt == "csv":
        return Rendered(write_csv(headers, rows), filename, "text/csv; charset=utf-8")
    return Rendered(build_pdf(title, filters, list(headers), rows, moment, chart), filename, "application/pdf")


def _format(fmt: str | None) -> str:
    fmt = (fmt or "csv").lower()
    if fmt not in ("csv", "pdf"):
        raise BadRequest(f"unknown format '{fmt}'", [{"field": "format", "message": "csv or pdf"}])
    return fmt


class ExportService:
    def __init__(self, db: Database, consumption: ConsumptionService, event_log: EventLogService,
                 dashboard: DashboardService, timezone: str, bucket: str, enqueue: Callable[[dict[str, Any]], Any],
                 audit: Auditor) -> None:
        self.reports, self.schedules = db["reports"], db["report_schedules"]
        self.consumption, self.event_log, self.dashboard = consumption, event_log, dashboard
        self.tz = ZoneInfo(timezone)
        self.bucket = bucket
        self.enqueue = enqueue
        self.audit = audit

    # --- building one file ---------------------------------------------------------------------
    def render(self, who: Principal, kind: str, fmt: str | None, params: dict[str, str]) -> Rendered:
        fmt = _format(fmt)
        if kind not in KINDS:
            raise BadRequest(f"unknown report kind '{kind}'", [{"field": "kind", "message": ", ".join(KINDS)}])
        headers, rows, chart, filters = getattr(self, "_" + kind.replace("-", "_"))(who, fmt, params)
        used = filters if filters is not None else [
            (k, v) for k, v in sorted(params.items()) if v and k not in ("format", "page", "page_size")]
        return packaged(TITLES[kind], kind, fmt, headers, rows, chart, used, self.tz)

    def _query(self, params: dict[str, str], *filters: str) -> ListQuery:
        return ListQuery(q=params.get("q") or None, area=params.get("area") or None,
                         filters=tuple((f, params[f]) for f in filters if params.get(f)))

    def _events(self, who: Principal, fmt: str, params: dict[str, str]) -> tuple[
            Sequence[str], Iterable[Sequence[Any]], Chart | None, list[tuple[str, str]] | None]:
        query = self._query(params, *EVENT_FILTERS)
        rows = list(self.event_log.export_rows(query))
        chart = None
        if fmt == "pdf":
            analysis = self.event_log.analysis(query)
            chart = Chart("bar", [d["day"] for d in analysis["by_day"]], {
                "Events": [float(sum(d["counts"].values())) for d in analysis["by_day"]],
                "Tamper": [float(t["count"]) for t in analysis["tamper_trend"]]}, "events")
        return EXPORT_HEADERS, rows, chart, None

    def _online_rate(self, who: Principal, fmt: str, params: dict[str, str]) -> tuple[
            Sequence[str], Iterable[Sequence[Any]], Chart | None, list[tuple[str, str]] | None]:
        query = self._query(params, "filter")
        rows = list(self.dashboard.online_export_rows(query))
        chart = None
        if fmt == "pdf":
            trend = self.dashboard.trend(query.area)
            chart = Chart("line", [t["day"] for t in trend], {"Online rate": [t["online_rate"] for t in trend]}, "%")
        return ONLINE_HEADERS, rows, chart, None

    def _consumption(self, who: Principal, fmt: str, params: dict[str, str]) -> tuple[
            Sequence[str], Iterable[Sequence[Any]], Chart | None, list[tuple[str, str]] | None]:
        if fmt == "csv":
            return CSV_HEADERS, self.consumption.csv_rows(who, params), None, None
        report = self.consumption.report(who, params)
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
        return headers, rows, chart, filters

    # --- background reports --------------------------------------------------------------------
    def start(self, who: Principal, kind: str, fmt: str, params: dict[str, str], title: str | None = None,
              report_id: str | None = None, schedule: str | None = None) -> dict[str, Any]:
        fmt = _format(fmt)
        if kind not in KINDS:
            raise BadRequest(f"unknown report kind '{kind}'", [{"field": "kind", "message": ", ".join(KINDS)}])
        self._validate(who, kind, params)
        doc: dict[str, Any] = {"_id": report_id or uuid.uuid4().hex[:16], "kind": kind, "format": fmt,
               "params": {k: str(v) for k, v in params.items() if v not in (None, "")},
               "title": title or TITLES[kind], "status": "queued", "schedule": schedule, "area_id": params.get("area"),
               "created_by": who.username, "role": who.role, "customer_id": who.customer_id, "created_at": now(),
               "finished_at": None, "error": None, "key": None, "filename": None, "size": None}
        self.reports.insert_one(doc)
        self.audit.record(who, "export", "report", str(doc["_id"]), after={"kind": kind, "format": fmt,
                                                                      "params": doc["params"]})
        self.enqueue({"report": doc["_id"]})
        return {"id": doc["_id"], "status": "queued"}

    def _validate(self, who: Principal, kind: str, params: dict[str, str]) -> None:
        """Refuse bad parameters now (400/404), not later in the background."""
        if kind == "consumption":
            self.consumption.request(who, params)
        elif kind == "events":
            self.event_log.criteria(self._query(params, *EVENT_FILTERS))
        else:
            self.dashboard.check_filter(params.get("filter"))

    def run(self, report_id: str) -> dict[str, Any] | None:
        """Build one queued report into S3 (the export_reports function calls this for each message)."""
        doc = self.reports.find_one_and_update({"_id": report_id, "status": {"$in": ["queued", "failed"]}},
                                               {"$set": {"status": "running", "started_at": now()}},
                                               return_document=True)
        if doc is None:
            return None  # unknown, or already built / being built (a redelivered message)
        who = Principal(doc["created_by"], doc.get("role") or "admin", doc.get("customer_id"))
        try:
            rendered = self.render(who, doc["kind"], doc["format"], doc["params"])
        except DomainError as exc:
            self.reports.update_one({"_id": report_id}, {"$set": {"status": "failed", "error": exc.message,
                                                                  "finished_at": now()}})
            return None
        body = rendered.content.encode() if isinstance(rendered.content, str) else rendered.content
        key = f"reports/{doc['created_at'].strftime('%Y/%m')}/{report_id}/{rendered.filename}"
        storage.put(self.bucket, key, body, rendered.content_type)
        self.reports.update_one({"_id": report_id}, {"$set": {
            "status": "done", "key": key, "filename": rendered.filename, "size": len(body), "finished_at": now()}})
        return self.reports.find_one({"_id": report_id})

    def find(self, query: ListQuery) -> dict[str, Any]:
        criteria: dict[str, Any] = {}
        if query.area:
            criteria["area_id"] = query.area
        if query.filter("kind"):
            criteria["kind"] = query.filter("kind")
        if query.filter("scheduled") in ("true", "1"):
            criteria["schedule"] = {"$ne": None}
        total = self.reports.count_documents(criteria)
        docs = self.reports.find(criteria).sort([("created_at", -1)]).skip((query.page - 1) * query.page_size) \
            .limit(query.page_size)
        return page_of([self._view(d) for d in docs], total, query)

    def get(self, report_id: str) -> dict[str, Any]:
        doc = self.reports.find_one({"_id": report_id})
        if doc is None:
            raise NotFound(f"report '{report_id}' does not exist")
        return self._view(doc)

    def _view(self, doc: dict[str, Any]) -> dict[str, Any]:
        url = storage.download_url(self.bucket, doc["key"], doc["filename"]) if doc.get("status") == "done" \
            and doc.get("key") else None
        return {"id": doc["_id"], "kind": doc["kind"], "format": doc["format"], "title": doc.get("title"),
                "params": doc.get("params") or {}, "status": doc["status"], "schedule": doc.get("schedule"),
                "area_id": doc.get("area_id"), "created_by": doc.get("created_by"), "created_at": doc["created_at"],
                "finished_at": doc.get("finished_at"), "error": doc.get("error"), "filename": doc.get("filename"),
                "size": doc.get("size"), "url": url}

    # --- schedules -----------------------------------------------------------------------------
    def list_schedules(self) -> dict[str, Any]:
        return {"items": [self._schedule_view(d) for d in self.schedules.find().sort([("_id", 1)])]}

    def _schedule_view(self, doc: dict[str, Any]) -> dict[str, Any]:
        return {"id": doc["_id"], "area_id": doc.get("area_id"), "cadence": doc["cadence"],
                "format": doc["format"], "enabled": doc.get("enabled", True)}

    def put_schedules(self, who: Principal, items: list[dict[str, Any]], area_exists: Callable[[str], bool]
                      ) -> dict[str, Any]:
        details = []
        seen = set()
        for i, item in enumerate(items):
            if item.get("area_id") and not area_exists(item["area_id"]):
                details.append({"field": f"items[{i}].area_id", "message": f"unknown area '{item['area_id']}'"})
            key = (item.get("area_id"), item["cadence"], item["format"])
            if key in seen:
                details.append({"field": f"items[{i}]", "message": "the same area, cadence and format twice"})
            seen.add(key)
        if details:
            raise BadRequest("; ".join(d["message"] for d in details), details)
        before = self.list_schedules()["items"]
        self.schedules.delete_many({})
        if items:
            self.schedules.insert_many([{
                "_id": f"{it.get('area_id') or 'all'}|{it['cadence']}|{it['format']}", "area_id": it.get("area_id"),
                "cadence": it["cadence"], "format": it["format"], "enabled": it.get("enabled", True)} for it in items])
        after = self.list_schedules()
        self.audit.record(who, "update", "report_schedules", None, before={"items": before}, after=after)
        return after

    def due(self, moment: datetime | None = None) -> list[dict[str, Any]]:
        """Scheduled consumption reports due at `moment` (local time): daily ones cover yesterday, monthly ones
        (from the 1st) last month. Each period is built once (its report id is derived from it)."""
        today = (moment or now()).astimezone(self.tz).date()
        started = []
        for schedule in self.schedules.find({"enabled": {"$ne": False}}):
            first, last, granularity = _period(schedule["cadence"], today)
            report_id = f"sched|{schedule['_id']}|{first.isoformat()}"
            params = {"granularity": granularity, "from": first.isoformat(), "to": last.isoformat(),
                      **({"area": schedule["area_id"]} if schedule.get("area_id") else {})}
            title = f"{schedule['cadence'].title()} consumption {first.isoformat()}" + (
                f" to {last.isoformat()}" if last != first else "")
            try:
                started.append(self.start(Principal("scheduler", "admin"), "consumption", schedule["format"], params,
                                          title, report_id, schedule["cadence"]))
            except DuplicateKeyError:
                continue  # this period's report exists already
        return started


def _period(cadence: str, today: date) -> tuple[date, date, str]:
    if cadence == "daily":
        day = today - timedelta(days=1)
        return day, day, "hourly"
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last, "daily"
