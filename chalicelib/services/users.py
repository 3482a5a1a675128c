"""User management (admins only): roles, customer links, enable/disable, password resets."""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.repositories import CustomerRepository, RefreshTokenRepository, UserRepository, now
from chalicelib.domain.models import UserCreate, UserUpdate
from chalicelib.errors import Conflict
from chalicelib.services.auth import hash_password
from chalicelib.services.common import ListQuery, and_, invalid, page_of, require, search
from chalicelib.services.context import Auditor, Principal

_FIELDS = (
    "role",
    "full_name",
    "customer_id",
    "disabled",
    "must_change_password",
    "created_at",
    "updated_at",
    "last_login_at",
)


def user_view(doc: dict[str, Any]) -> dict[str, Any]:
    return {"username": doc["_id"], **{k: doc.get(k) for k in _FIELDS}}


class UserService:
    def __init__(
        self, users: UserRepository, tokens: RefreshTokenRepository, customers: CustomerRepository, audit: Auditor
    ) -> None:
        self.users = users
        self.tokens = tokens
        self.customers = customers
        self.audit = audit

    def find(self, query: ListQuery) -> dict[str, Any]:
        role = query.filter("role")
        q = and_({"role": role} if role else {}, search(query.q, ["_id", "full_name"]))
        docs, total = self.users.page(q, query.sort, query.page, query.page_size)
        return page_of([user_view(d) for d in docs], total, query)

    def _check_customer(self, role: str, customer_id: str | None) -> str | None:
        if role != "customer":
            return None
        if not customer_id:
            raise invalid("customer_id", "a customer user must be linked to a customer")
        if self.customers.get(customer_id) is None:
            raise invalid("customer_id", f"unknown customer '{customer_id}'")
        return customer_id

    def create(self, who: Principal, body: UserCreate) -> dict[str, Any]:
        stamp = now()
        doc = {
            "_id": body.username,
            "password_hash": hash_password(body.password),
            "role": body.role,
            "full_name": body.full_name,
            "customer_id": self._check_customer(body.role, body.customer_id),
            "disabled": False,
            "must_change_password": True,
            "created_at": stamp,
            "updated_at": stamp,
            "last_login_at": None,
            "failed_logins": 0,
        }
        self.users.insert(doc)
        self.audit.record(who, "create", "user", body.username, after=doc)
        return user_view(doc)

    def _other_admins(self, username: str) -> int:
        return self.users.col.count_documents({"role": "admin", "disabled": False, "_id": {"$ne": username}})

    def update(self, who: Principal, username: str, body: UserUpdate) -> dict[str, Any]:
        before = require(self.users.get(username), "user", username)
        fields = body.model_dump(exclude_unset=True)
        if fields.get("role") is None:
            fields.pop("role", None)
        role = fields.get("role", before["role"])
        losing_admin = before["role"] == "admin" and (role != "admin" or fields.get("disabled"))
        if losing_admin and self._other_admins(username) == 0:
            raise Conflict("this is the last active administrator; make another admin first")
        if username == who.username and (fields.get("disabled") or role != before["role"]):
            raise Conflict("you cannot disable yourself or change your own role")
        if "customer_id" in fields or "role" in fields:
            fields["customer_id"] = self._check_customer(role, fields.get("customer_id", before.get("customer_id")))
        password = fields.pop("password", None)
        if password:
            fields.update(password_hash=hash_password(password), must_change_password=True, failed_logins=0)
        after = require(
            self.users.update(username, fields, unset=["locked_until"] if password else ()), "user", username
        )
        if password or fields.get("disabled"):
            self.tokens.revoke_all(username)
        action = "reset_password" if password and len(fields) == 3 else "update"
        self.audit.record(who, action, "user", username, before=before, after=after)
        return user_view(after)

    def delete(self, who: Principal, username: str) -> None:
        before = require(self.users.get(username), "user", username)
        if username == who.username:
            raise Conflict("you cannot delete your own account")
        if before["role"] == "admin" and self._other_admins(username) == 0:
            raise Conflict("this is the last active administrator; make another admin first")
        self.tokens.revoke_all(username)
        self.users.delete(username)
        self.audit.record(who, "delete", "user", username, before=before)
