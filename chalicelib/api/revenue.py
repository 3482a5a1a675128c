"""Revenue protection: theft detection (runs, ranked scores with reasons and evidence) and investigations."""
from __future__ import annotations

from chalice import Blueprint
from pydantic import BaseModel

from chalicelib.api.framework import LIST_PARAMS, FileResult, QueryParam, Request, route
from chalicelib.domain.revenue import (
    CaseCreate,
    CaseDetail,
    CaseNoteCreate,
    CasePage,
    CaseUpdate,
    TheftRun,
    TheftRunAccepted,
    TheftRunCreate,
    TheftRunPage,
    TheftScoreDetail,
    TheftScorePage,
    TheftSettings,
)

bp = Blueprint(__name__)
AREA = QueryParam("area", "area id; omit for all areas")
PAGING = tuple(p for p in LIST_PARAMS if p.name in ("page", "page_size"))
AS_OF = QueryParam("as_of", "the day scored (YYYY-MM-DD); default the latest run's")
CASE_FILTERS = (
    QueryParam("status", "open, investigating, resolved, or active (open and investigating)"), AREA,
    QueryParam("meter", "meter number"), QueryParam("assignee", "username"),
    QueryParam("outcome", "theft_confirmed, no_theft, meter_fault or data_problem"),
)


class Assignee(BaseModel):
    username: str
    full_name: str | None
    role: str


class Assignees(BaseModel):
    items: list[Assignee]


# --- theft detection -----------------------------------------------------------------------------
@route(bp, "/theft/run", "POST", "theft:run", "Score meters for theft now (rules and anomaly model); poll "
       "GET /theft/runs/{id}", "revenue", body=TheftRunCreate, response=TheftRunAccepted, status=202)
def start_theft_run(req: Request) -> dict:
    return req.services.theft.start(req.who, req.body.area, req.body.as_of)


@route(bp, "/theft/runs", "GET", "reports:read", "Theft detection runs, newest first", "revenue",
       response=TheftRunPage, query=(AREA,) + PAGING)
def list_theft_runs(req: Request) -> dict:
    return req.services.theft.find_runs(req.list_query())


@route(bp, "/theft/runs/{run_id}", "GET", "reports:read", "One theft detection run", "revenue", response=TheftRun)
def get_theft_run(req: Request, run_id: str) -> dict:
    return req.services.theft.get_run(run_id)


@route(bp, "/theft/scores", "GET", "reports:read", "Meters ranked by theft risk with the reasons in words",
       "revenue", response=TheftScorePage,
       query=(AREA, AS_OF, QueryParam("risk", "high, medium or low"), QueryParam("q", "part of a meter number"))
       + PAGING)
def list_theft_scores(req: Request) -> dict:
    return req.services.theft.find_scores(req.list_query("risk"), req.params.get("as_of"))


@route(bp, "/theft/scores/{meter_number}", "GET", "reports:read", "A meter's score with its evidence: daily "
       "profile against its area, events, score history and cases", "revenue", response=TheftScoreDetail,
       query=(AS_OF,))
def get_theft_score(req: Request, meter_number: str) -> dict:
    return req.services.theft.detail(meter_number, req.params.get("as_of"))


@route(bp, "/theft/settings", "GET", "reports:read", "The theft rules' thresholds", "revenue",
       response=TheftSettings)
def get_theft_settings(req: Request) -> dict:
    return req.services.theft.get_settings()


@route(bp, "/theft/settings", "PUT", "settings:manage", "Change the theft rules' thresholds", "revenue",
       body=TheftSettings, response=TheftSettings)
def put_theft_settings(req: Request) -> dict:
    return req.services.theft.put_settings(req.who, req.body)


# --- investigations ------------------------------------------------------------------------------
@route(bp, "/cases", "GET", "reports:read", "Investigation cases, newest first", "revenue", response=CasePage,
       query=CASE_FILTERS + PAGING)
def list_cases(req: Request) -> dict:
    return req.services.cases.find(req.list_query("status", "meter", "assignee", "outcome"))


@route(bp, "/cases", "POST", "cases:write", "Open a case on a meter, from an alert or a theft score; the evidence "
       "is captured now", "revenue", body=CaseCreate, response=CaseDetail, status=201, extra_errors=(409,))
def open_case(req: Request) -> dict:
    return req.services.cases.open(req.who, req.body)


@route(bp, "/cases/export", "GET", "reports:read", "The filtered case list as CSV", "revenue",
       query=CASE_FILTERS, produces="text/csv")
def export_cases(req: Request) -> FileResult:
    content = req.services.cases.csv(req.list_query("status", "meter", "assignee", "outcome"))
    return FileResult(content, "cases.csv", "text/csv; charset=utf-8")


@route(bp, "/cases/assignees", "GET", "reports:read", "Who can take a case: active admins and operators", "revenue",
       response=Assignees)
def case_assignees(req: Request) -> dict:
    return {"items": req.services.cases.assignees()}


@route(bp, "/cases/{case_id}", "GET", "reports:read", "A case with its evidence and timeline", "revenue",
       response=CaseDetail)
def get_case(req: Request, case_id: str) -> dict:
    return req.services.cases.get(case_id)


@route(bp, "/cases/{case_id}", "PATCH", "cases:write", "Move a case (open -> investigating -> resolved with an "
       "outcome), assign it, add a note; resolving can acknowledge its alerts", "revenue", body=CaseUpdate,
       response=CaseDetail)
def update_case(req: Request, case_id: str) -> dict:
    return req.services.cases.update(req.who, case_id, req.body)


@route(bp, "/cases/{case_id}/notes", "POST", "cases:write", "Add a note to a case's timeline", "revenue",
       body=CaseNoteCreate, response=CaseDetail, status=201)
def add_case_note(req: Request, case_id: str) -> dict:
    return req.services.cases.add_note(req.who, case_id, req.body.text)


@route(bp, "/cases/{case_id}/report", "GET", "reports:read", "The case report as PDF: evidence, timeline, events",
       "revenue", produces="application/pdf")
def case_report(req: Request, case_id: str) -> FileResult:
    content, name = req.services.cases.pdf(case_id)
    return FileResult(content, name, "application/pdf")
