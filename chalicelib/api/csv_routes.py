"""The import / template / export trio every master-data collection offers."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from chalice import Blueprint

from chalicelib.api.framework import LIST_PARAMS, FileResult, QueryParam, Request, route
from chalicelib.domain.csv_export import write_csv
from chalicelib.domain.models import ImportReport

DRY_RUN = QueryParam("dry_run", "true: validate and report without writing", "boolean")


def _named(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    fn.__name__ = fn.__qualname__ = name
    return fn


def csv_routes(
    bp: Blueprint, kind: str, label: str, headers: Sequence[str],
    rows: Callable[[Request], Iterable[Sequence[Any]]], extra_query: tuple[QueryParam, ...] = (),
) -> None:
    def import_csv(req: Request) -> dict:
        return req.services.imports.run(req.who, kind, req.upload(), req.flag("dry_run"))

    def import_template(req: Request) -> FileResult:
        return FileResult(req.services.imports.template(kind), f"{kind}-template.csv")

    def export_csv(req: Request) -> FileResult:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
        return FileResult(write_csv(headers, rows(req)), f"{kind}-{stamp}.csv")

    route(bp, f"/{kind}/import", "POST", f"{kind}:write", f"Import {label} from CSV (all or nothing)", kind,
          response=ImportReport, query=(DRY_RUN,), consumes="text/csv", extra_errors=(413, 422))(
        _named(f"import_{kind}", import_csv))
    route(bp, f"/{kind}/import/template", "GET", f"{kind}:read", f"CSV template for the {label} import", kind,
          produces="text/csv")(_named(f"{kind}_import_template", import_template))
    route(bp, f"/{kind}/export", "GET", f"{kind}:read", f"The filtered {label} as CSV", kind,
          query=LIST_PARAMS + extra_query, produces="text/csv")(_named(f"export_{kind}", export_csv))
