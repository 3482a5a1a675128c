"""SIM cards."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.csv_routes import csv_routes
from chalicelib.api.framework import LIST_PARAMS, QueryParam, Request, route
from chalicelib.domain.models import Sim, SimCreate, SimPage, SimUpdate
from chalicelib.services.sims import EXPORT_HEADERS

bp = Blueprint(__name__)
FILTERS = (QueryParam("unassigned", "true: only SIM cards not in a meter", "boolean"),)


@route(bp, "/sims", "GET", "sims:read", "List SIM cards", "sims", response=SimPage, query=LIST_PARAMS + FILTERS)
def list_sims(req: Request) -> dict:
    return req.services.sims.find(req.list_query("unassigned"))


@route(bp, "/sims", "POST", "sims:write", "Add a SIM card", "sims", body=SimCreate, response=Sim, status=201,
       extra_errors=(409,))
def create_sim(req: Request) -> dict:
    return req.services.sims.create(req.who, req.body)


csv_routes(bp, "sims", "SIM cards", EXPORT_HEADERS,
           lambda req: req.services.sims.export_rows(req.list_query("unassigned")), FILTERS)


@route(bp, "/sims/{sim_number}", "GET", "sims:read", "One SIM card", "sims", response=Sim)
def get_sim(req: Request, sim_number: str) -> dict:
    return req.services.sims.get(sim_number)


@route(bp, "/sims/{sim_number}", "PATCH", "sims:write", "Change a SIM card or the meter it is in", "sims",
       body=SimUpdate, response=Sim)
def update_sim(req: Request, sim_number: str) -> dict:
    return req.services.sims.update(req.who, sim_number, req.body)


@route(bp, "/sims/{sim_number}", "DELETE", "sims:write", "Delete a SIM card", "sims", status=204,
       extra_errors=(409,))
def delete_sim(req: Request, sim_number: str) -> None:
    req.services.sims.delete(req.who, sim_number)
