"""Meter commands: read / write / execute jobs, relay control, prepaid token loading."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.framework import LIST_PARAMS, Request, route
from chalicelib.domain.jobs import (
    Job,
    JobAccepted,
    JobCreate,
    JobPage,
    RelayRequest,
    TokenLoadPage,
    TokenRequest,
)

bp = Blueprint(__name__)
PAGING = tuple(p for p in LIST_PARAMS if p.name in ("page", "page_size"))


@route(bp, "/jobs", "POST", "commands:execute", "Read, write or execute items on meters (checked against "
       "each meter's device profile)", "jobs", body=JobCreate, response=JobAccepted, status=202)
def create_job(req: Request) -> dict:
    return req.services.jobs.create(req.who, req.body)


@route(bp, "/jobs", "GET", "jobs:read", "Jobs, newest first; q = a meter number", "jobs", response=JobPage,
       query=PAGING + tuple(p for p in LIST_PARAMS if p.name == "q"))
def list_jobs(req: Request) -> dict:
    return req.services.jobs.find(req.list_query())


@route(bp, "/jobs/{job_id}", "GET", "jobs:read", "A job's progress and its results per meter and item", "jobs",
       response=Job)
def get_job(req: Request, job_id: str) -> dict:
    return req.services.jobs.get(job_id)


@route(bp, "/meters/{meter_number}/relay", "POST", "commands:execute",
       "Disconnect or reconnect the relay; the state is read back", "jobs", body=RelayRequest,
       response=JobAccepted, status=202)
def relay(req: Request, meter_number: str) -> dict:
    return req.services.jobs.relay(req.who, meter_number, req.body.action)


@route(bp, "/meters/{meter_number}/diagnostics", "POST", "commands:execute",
       "Ask the edge listener for the meter's connection: peer, open since, the last frames in hex (a job)",
       "jobs", response=JobAccepted, status=202)
def diagnose(req: Request, meter_number: str) -> dict:
    return req.services.jobs.diagnose(req.who, meter_number)


@route(bp, "/meters/{meter_number}/tokens", "POST", "commands:execute",
       "Load a 20-digit prepaid token; the result and credit are read back", "jobs", body=TokenRequest,
       response=JobAccepted, status=202)
def load_token(req: Request, meter_number: str) -> dict:
    return req.services.jobs.load_token(req.who, meter_number, req.body.token)


@route(bp, "/meters/{meter_number}/tokens", "GET", "meters:read", "The meter's token loading history", "jobs",
       response=TokenLoadPage, query=PAGING)
def token_history(req: Request, meter_number: str) -> dict:
    return req.services.jobs.token_history(req.who, meter_number, req.list_query())
