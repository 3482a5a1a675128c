"""User management and the audit log (admins only)."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.framework import LIST_PARAMS, QueryParam, Request, route
from chalicelib.domain.models import AuditPage, User, UserCreate, UserPage, UserUpdate
from chalicelib.services.common import and_, page_of, public, search

bp = Blueprint(__name__)
PARAMS = tuple(p for p in LIST_PARAMS if p.name != "area")


@route(bp, "/users", "GET", "users:manage", "List users", "users", response=UserPage,
       query=PARAMS + (QueryParam("role", "admin, operator, viewer or customer"),))
def list_users(req: Request) -> dict:
    return req.services.users.find(req.list_query("role"))


@route(bp, "/users", "POST", "users:manage", "Create a user", "users", body=UserCreate, response=User, status=201,
       extra_errors=(409,))
def create_user(req: Request) -> dict:
    return req.services.users.create(req.who, req.body)


@route(bp, "/users/{username}", "PATCH", "users:manage", "Change role, link, state or reset the password", "users",
       body=UserUpdate, response=User, extra_errors=(409,))
def update_user(req: Request, username: str) -> dict:
    return req.services.users.update(req.who, username, req.body)


@route(bp, "/users/{username}", "DELETE", "users:manage", "Delete a user", "users", status=204, extra_errors=(409,))
def delete_user(req: Request, username: str) -> None:
    req.services.users.delete(req.who, username)


@route(bp, "/audit", "GET", "audit:read", "Who changed what, when", "audit", response=AuditPage,
       query=PARAMS + (QueryParam("entity", "area, meter, sim, customer, user"), QueryParam("username", "actor")))
def list_audit(req: Request) -> dict:
    query = req.list_query("entity", "username")
    filters = dict(query.filters)
    mongo = and_(
        {"entity": filters["entity"]} if "entity" in filters else {},
        {"username": filters["username"]} if "username" in filters else {},
        search(query.q, ["entity_id", "action", "username"]),
    )
    docs, total = req.services.audit_log.page(mongo, query.sort or "-at", query.page, query.page_size)
    return page_of([public(d) for d in docs], total, query)
