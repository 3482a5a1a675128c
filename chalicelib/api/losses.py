"""Technical losses: each area's daily energy balance (check meter input against the customer meters),
split into technical and non-technical loss; downloadable as CSV and PDF."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.framework import FileResult, QueryParam, Request, route
from chalicelib.domain.losses import AreaLossReport, LossOverview

bp = Blueprint(__name__)
RANGE = (QueryParam("from", "first local day, YYYY-MM-DD (default: 30 days before 'to')"),
         QueryParam("to", "last local day (inclusive), YYYY-MM-DD (default: yesterday)"))
LOSS_PARAMS = (QueryParam("area", "area id; omit for all areas"), *RANGE)


@route(bp, "/losses", "GET", "reports:read", "Every area's (or one area's) daily energy balance and totals: input, "
       "billed, technical and non-technical loss; unreliable days say why instead of a loss", "losses",
       response=LossOverview, query=LOSS_PARAMS)
def list_losses(req: Request) -> dict:
    return req.services.energy_balance.overview(req.params)


@route(bp, "/losses/export", "GET", "reports:read", "The balance as CSV (one row per area and day) or PDF (one "
       "area's days with the loss trend, or every area's totals)", "losses",
       query=(*LOSS_PARAMS, QueryParam("format", "csv (default) or pdf")), produces="text/csv")
def export_losses(req: Request) -> FileResult:
    out = req.services.energy_balance.render(req.params.get("format"), req.params)
    return FileResult(out.content, out.filename, out.content_type)


@route(bp, "/losses/{area_id}", "GET", "reports:read", "One area's daily energy balance with its loss episodes",
       "losses", response=AreaLossReport, query=RANGE)
def area_losses(req: Request, area_id: str) -> dict:
    return req.services.energy_balance.area(area_id, req.params)
