"""The API edge: authentication, the permission check, body parsing, error envelopes.

Each route is declared once with `@route(...)`; the declaration feeds Chalice,
the permission check, and the OpenAPI document.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from chalice import Blueprint, Response
from pydantic import BaseModel, ValidationError

from chalicelib.bootstrap import Services, services
from chalicelib.domain.permissions import allows
from chalicelib.errors import BadRequest, DomainError, Forbidden, UnsupportedMediaType, ValidationFailed
from chalicelib.services.common import MAX_PAGE_SIZE, ListQuery
from chalicelib.services.context import Principal

log = logging.getLogger("hes.api")
PREFIX = "/api/v1"
PUBLIC = None  # permission value of routes that need no login
ANY_CONTENT = ["*/*"]


@dataclass(frozen=True)
class QueryParam:
    name: str
    description: str
    type: str = "string"


LIST_PARAMS = (
    QueryParam("q", "search text"),
    QueryParam("area", "area id; omit for all areas"),
    QueryParam("page", "page number, from 1", "integer"),
    QueryParam("page_size", f"items per page, 1-{MAX_PAGE_SIZE}", "integer"),
    QueryParam("sort", "field name; prefix with '-' for descending"),
)


@dataclass
class RouteSpec:
    path: str
    method: str
    permission: str | None
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    query: tuple[QueryParam, ...] = ()
    consumes: str = "application/json"
    produces: str = "application/json"
    name: str = ""
    extra_errors: tuple[int, ...] = field(default_factory=tuple)


ROUTES: list[RouteSpec] = []


@dataclass
class Request:
    services: Services
    principal: Principal | None
    user: dict[str, Any] | None
    body: Any
    raw: bytes
    params: dict[str, str]
    headers: dict[str, str]

    @property
    def who(self) -> Principal:
        assert self.principal is not None
        return self.principal

    def list_query(self, *filters: str) -> ListQuery:
        return ListQuery(
            q=self.params.get("q") or None, area=self.params.get("area") or None,
            page=_int_param(self.params, "page", 1, 1, 1_000_000),
            page_size=_int_param(self.params, "page_size", 25, 1, MAX_PAGE_SIZE),
            sort=self.params.get("sort") or None,
            filters=tuple((f, self.params[f]) for f in filters if self.params.get(f)),
        )

    def number(self, name: str, default: int, low: int, high: int) -> int:
        return _int_param(self.params, name, default, low, high)

    def flag(self, name: str) -> bool:
        value = self.params.get(name, "false").lower()
        if value not in ("true", "false", "1", "0"):
            raise BadRequest(f"{name} must be true or false", [{"field": name, "message": "true or false"}])
        return value in ("true", "1")

    def upload(self) -> bytes:
        """The uploaded file: the raw body, or the `file` part of a multipart form."""
        content_type = self.headers.get("content-type", "")
        if not content_type.startswith("multipart/form-data"):
            return self.raw
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + self.raw
        )
        for part in message.iter_parts():
            if part.get_param("name", header="content-disposition") == "file":
                payload = part.get_payload(decode=True)
                return payload if isinstance(payload, bytes) else b""
        raise BadRequest("the form has no 'file' field", [{"field": "file", "message": "is required"}])


@dataclass
class FileResult:
    content: str | bytes
    filename: str
    content_type: str = "text/csv; charset=utf-8"


def _int_param(params: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number", [{"field": name, "message": "not a whole number"}]) from None
    if not low <= value <= high:
        raise BadRequest(f"{name} must be between {low} and {high}", [{"field": name, "message": f"{low}-{high}"}])
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def json_response(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, default=_json_default), status_code=status,
                    headers={"Content-Type": "application/json", "Cache-Control": "no-store"})


def _error(exc: DomainError) -> Response:
    return json_response(exc.to_body(), exc.status)


def validation_details(exc: ValidationError) -> list[dict[str, Any]]:
    details = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or None
        message = "is required" if err["type"] == "missing" else err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "is not a known field"
        details.append({"field": loc, "message": message})
    return details


def _parse_body(model: type[BaseModel], raw: bytes, content_type: str) -> BaseModel:
    if content_type and not content_type.startswith("application/json"):
        raise UnsupportedMediaType(f"send JSON (Content-Type: application/json), not {content_type.split(';')[0]}")
    try:
        data = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the body is not valid JSON: {exc}") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = validation_details(exc)
        summary = "; ".join(f"{d['field']}: {d['message']}" if d["field"] else d["message"] for d in details)
        raise ValidationFailed(summary or "the body is not valid", details) from None


def route(
    bp: Blueprint, path: str, method: str, permission: str | None, summary: str, tag: str, *,
    body: type[BaseModel] | None = None, response: type[BaseModel] | None = None, status: int = 200,
    query: tuple[QueryParam, ...] = (), consumes: str = "application/json", produces: str = "application/json",
    extra_errors: tuple[int, ...] = (),
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(handler: Callable[..., Any]) -> Callable[..., Any]:
        spec = RouteSpec(path, method, permission, summary, tag, body, response, status, query, consumes, produces,
                         handler.__name__, extra_errors)
        ROUTES.append(spec)

        def view(**path_params: str) -> Response:
            req = bp.current_request
            headers = {k.lower(): v for k, v in (req.headers or {}).items()}
            try:
                svc = services()
                principal, user = None, None
                if permission is not PUBLIC:
                    principal, user = svc.auth.authenticate(headers.get("authorization"))
                    if user.get("must_change_password") and permission != "self":
                        raise Forbidden("change your password first (POST /api/v1/auth/change-password)")
                    if not allows(principal.role, permission):
                        raise Forbidden(f"the {principal.role} role may not do this ({permission})")
                raw = req.raw_body or b""
                raw = raw if isinstance(raw, bytes) else raw.encode()
                parsed = _parse_body(body, raw, headers.get("content-type", "")) if body else None
                ctx = Request(svc, principal, user, parsed, raw, dict(req.query_params or {}), headers)
                result = handler(ctx, **path_params)
            except DomainError as exc:
                return _error(exc)
            except Exception:
                log.exception("unhandled error on %s %s", method, path)
                return json_response({"error": {"code": "internal_error", "message": "internal error; see the logs",
                                                "details": []}}, 500)
            if result is None:
                return Response("", status_code=204)
            if isinstance(result, FileResult):
                return Response(result.content, status_code=200, headers={
                    "Content-Type": result.content_type,
                    "Content-Disposition": f'attachment; filename="{result.filename}"',
                    "Cache-Control": "no-store",
                })
            if isinstance(result, Response):
                return result
            if response is not None:
                result = response.model_validate(result).model_dump(mode="json", by_alias=True)
            return json_response(result, status)

        view.__name__ = handler.__name__
        bp.route(path, methods=[method], content_types=ANY_CONTENT)(view)
        return handler

    return decorate
