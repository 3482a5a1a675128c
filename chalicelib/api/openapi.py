"""OpenAPI 3.1 document built from the route declarations and their pydantic models."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from chalicelib import __version__
from chalicelib.api.framework import PREFIX, ROUTES, RouteSpec
from chalicelib.domain.models import ErrorResponse

_STATUS_TEXT = {
    400: "Bad request",
    401: "Not logged in",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict",
    413: "File too large",
    415: "Unsupported media type",
    422: "Validation failed",
    429: "Too many failed logins",
}


def _operation(spec: RouteSpec) -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": spec.name, "summary": spec.summary, "tags": [spec.tag]}
    if spec.permission is None:
        op["security"] = []
    else:
        op["x-permission"] = spec.permission
    params = [
        {"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
        for n in re.findall(r"{(\w+)}", spec.path)
    ]
    params += [
        {"name": q.name, "in": "query", "required": False, "description": q.description, "schema": {"type": q.type}}
        for q in spec.query
    ]
    if params:
        op["parameters"] = params
    if spec.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{spec.body.__name__}"}}},
        }
    elif spec.consumes == "text/csv":
        op["requestBody"] = {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "contentMediaType": "text/csv"}},
                        "required": ["file"],
                    }
                },
            },
        }
    if spec.status == 204:
        ok: dict[str, Any] = {"description": "Done"}
    elif spec.produces == "text/csv":
        ok = {"description": "CSV file", "content": {"text/csv": {"schema": {"type": "string"}}}}
    elif spec.response is not None:
        ok = {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{spec.response.__name__}"}}},
        }
    else:
        ok = {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}
    errors = set(spec.extra_errors) | {400}
    if spec.permission is not None:
        errors |= {401, 403}
    if spec.body is not None:
        errors |= {415, 422}
    if "{" in spec.path:
        errors.add(404)
    op["responses"] = {str(spec.status): ok} | {
        str(code): {
            "description": _STATUS_TEXT[code],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
        }
        for code in sorted(errors)
    }
    return op


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    models: dict[str, tuple[type[BaseModel], JsonSchemaMode]] = {"ErrorResponse": (ErrorResponse, "serialization")}
    for spec in ROUTES:
        if spec.body is not None:
            models[spec.body.__name__] = (spec.body, "validation")
        if spec.response is not None:
            models[spec.response.__name__] = (spec.response, "serialization")
    _, schema = models_json_schema(list(models.values()), ref_template="#/components/schemas/{model}")
    paths: dict[str, dict[str, Any]] = {}
    for spec in ROUTES:
        paths.setdefault(PREFIX + spec.path, {})[spec.method.lower()] = _operation(spec)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "HES Core API",
            "version": __version__,
            "description": "Head End System for smart electricity meters.",
        },
        "servers": [{"url": "/"}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(schema.get("$defs", {}).items())),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
        "security": [{"bearer": []}],
    }
