"""Revenue leakage monitoring: indicator counts per area and overall, the meters behind each count, CSV/PDF."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.framework import LIST_PARAMS, FileResult, QueryParam, Request, route
from chalicelib.domain.leakage import INDICATORS, LeakageMeterPage, LeakageSummary
from chalicelib.services.exports import Rendered

bp = Blueprint(__name__)
PERIOD = (
    QueryParam("area", "area id; omit for all areas"),
    QueryParam("from", "first local day (YYYY-MM-DD); default 29 days before 'to'"),
    QueryParam("to", "last local day (inclusive, YYYY-MM-DD); default today"),
    QueryParam("offline_days", "energy at risk: meters without a reading for more than this many days (default 3)",
               "integer"),
)
PAGING = tuple(p for p in LIST_PARAMS if p.name in ("page", "page_size"))
FORMAT = QueryParam("format", "csv (default) or pdf")
WHICH = "indicator: " + ", ".join(INDICATORS)


def _file(out: Rendered) -> FileResult:
    return FileResult(out.content, out.filename, out.content_type)


@route(bp, "/leakage/summary", "GET", "reports:read", "Revenue leakage indicators per area and overall: zero "
       "consumption while online (48 h), reverse flow, tamper alerts with the previous period and a daily trend, "
       "consumption while disconnected, energy at risk", "revenue", response=LeakageSummary, query=PERIOD)
def leakage_summary(req: Request) -> dict:
    return req.services.leakage.summary(req.params)


@route(bp, "/leakage/summary/export", "GET", "reports:read", "The per-area leakage table as CSV or PDF (with the "
       "tamper trend)", "revenue", query=(*PERIOD, FORMAT), produces="text/csv")
def export_leakage_summary(req: Request) -> FileResult:
    return _file(req.services.leakage.export_summary(req.params))


@route(bp, "/leakage/meters/{indicator}", "GET", "reports:read", "The meters behind one leakage count, with their "
       f"figures ({WHICH})", "revenue", response=LeakageMeterPage, query=(*PERIOD, *PAGING))
def leakage_meters(req: Request, indicator: str) -> dict:
    return req.services.leakage.meters_behind(indicator, req.params, req.list_query())


@route(bp, "/leakage/meters/{indicator}/export", "GET", "reports:read", "The meters behind one leakage count as "
       "CSV or PDF", "revenue", query=(*PERIOD, FORMAT), produces="text/csv")
def export_leakage_meters(req: Request, indicator: str) -> FileResult:
    return _file(req.services.leakage.export(indicator, req.params))
