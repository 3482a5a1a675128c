"""Passwords (argon2), JWT access tokens, revocable refresh tokens, login lockout."""
from __future__ import annotations

import hashlib
import math
import secrets
from datetime import timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from chalicelib.adapters.repositories import RefreshTokenRepository, UserRepository, now
from chalicelib.errors import Forbidden, Locked, Unauthorized, ValidationFailed
from chalicelib.services.context import Auditor, Principal
from chalicelib.settings import Settings

_hasher = PasswordHasher()
# verified against when the username is unknown, so both paths cost the same
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AuthService:
    def __init__(self, settings: Settings, users: UserRepository, tokens: RefreshTokenRepository, audit: Auditor):
        self.settings = settings
        self.users = users
        self.tokens = tokens
        self.audit = audit

    # --- bootstrap -----------------------------------------------------------------------------
    def ensure_admin(self) -> None:
        if self.users.col.count_documents({"role": "admin"}) > 0:
            return
        password, must_change = self.settings.bootstrap_admin_password
        stamp = now()
        self.users.col.update_one(
            {"_id": "admin"},
            {"$setOnInsert": {
                "password_hash": hash_password(password), "role": "admin", "full_name": "Administrator",
                "customer_id": None, "disabled": False, "must_change_password": must_change,
                "created_at": stamp, "updated_at": stamp, "last_login_at": None, "failed_logins": 0,
            }},
            upsert=True,
        )

    # --- login / tokens ------------------------------------------------------------------------
    def login(self, username: str, password: str) -> dict[str, Any]:
        user = self.users.get(username)
        moment = now()
        if user and user.get("locked_until") and user["locked_until"] > moment:
            wait = math.ceil((user["locked_until"] - moment).total_seconds() / 60)
            raise Locked(f"too many failed logins; try again in {wait} minute{'s' if wait != 1 else ''}")
        if not verify_password(user["password_hash"] if user else _DUMMY_HASH, password) or not user:
            if user:
                until = moment + timedelta(seconds=self.settings.login_lockout_s)
                after = self.users.record_failure(username, self.settings.login_max_failures, until)
                if after and after.get("failed_logins", 0) >= self.settings.login_max_failures:
                    raise Locked(
                        f"too many failed logins; the account is locked for "
                        f"{math.ceil(self.settings.login_lockout_s / 60)} minutes"
                    )
            raise Unauthorized("wrong username or password")
        if user.get("disabled"):
            raise Forbidden("this account is disabled; ask an administrator")
        self.users.record_success(username)
        return self._issue(user)

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        record = self.tokens.revoke(_token_hash(refresh_token))
        if record is None:
            stale = self.tokens.get(_token_hash(refresh_token))
            if stale is not None:  # a rotated token used again: treat the whole session family as stolen
                self.tokens.revoke_all(stale["username"])
            raise Unauthorized("the session has expired; log in again")
        if record["expires_at"] <= now():
            raise Unauthorized("the session has expired; log in again")
        user = self.users.get(record["username"])
        if not user or user.get("disabled"):
            raise Unauthorized("the session has expired; log in again")
        return self._issue(user)

    def logout(self, refresh_token: str) -> None:
        self.tokens.revoke(_token_hash(refresh_token))

    def change_password(self, who: Principal, current: str, new: str) -> dict[str, Any]:
        user = self.users.get(who.username)
        if not user or not verify_password(user["password_hash"], current):
            raise ValidationFailed(
                "the current password is wrong", [{"field": "current_password", "message": "does not match"}]
            )
        if current == new:
            raise ValidationFailed(
                "the new password must differ from the current one",
                [{"field": "new_password", "message": "same as the current password"}],
            )
        self.tokens.revoke_all(who.username)
        updated = self.users.update(who.username, {"password_hash": hash_password(new), "must_change_password": False})
        self.audit.record(who, "change_password", "user", who.username)
        assert updated is not None
        return self._issue(updated)

    def _issue(self, user: dict[str, Any]) -> dict[str, Any]:
        moment = now()
        ttl = self.settings.access_token_ttl_s
        access = jwt.encode(
            {"sub": user["_id"], "role": user["role"], "iat": moment, "exp": moment + timedelta(seconds=ttl),
             "typ": "access"},
            self.settings.jwt_secret,
            algorithm="HS256",
        )
        refresh = secrets.token_urlsafe(32)
        self.tokens.insert({
            "_id": _token_hash(refresh), "username": user["_id"], "created_at": moment,
            "expires_at": moment + timedelta(seconds=self.settings.refresh_token_ttl_s), "revoked": False,
        })
        return {
            "access_token": access, "refresh_token": refresh, "token_type": "bearer", "expires_in": ttl,
            "user": user_info(user),
        }

    # --- per request ---------------------------------------------------------------------------
    def authenticate(self, authorization: str | None) -> tuple[Principal, dict[str, Any]]:
        if not authorization or not authorization.lower().startswith("bearer "):
            raise Unauthorized("log in first: this route needs a bearer token")
        try:
            claims = jwt.decode(authorization[7:].strip(), self.settings.jwt_secret, algorithms=["HS256"])
        except jwt.ExpiredSignatureError:
            raise Unauthorized("the access token has expired; refresh it") from None
        except jwt.PyJWTError:
            raise Unauthorized("the access token is not valid") from None
        if claims.get("typ") != "access":
            raise Unauthorized("the access token is not valid")
        user = self.users.get(str(claims.get("sub")))
        if not user or user.get("disabled"):
            raise Unauthorized("this account no longer exists or is disabled")
        return Principal(user["_id"], user["role"], user.get("customer_id")), user


def user_info(user: dict[str, Any]) -> dict[str, Any]:
    principal = Principal(user["_id"], user["role"], user.get("customer_id"))
    return {
        "username": user["_id"], "role": user["role"], "full_name": user.get("full_name"),
        "customer_id": user.get("customer_id"), "must_change_password": bool(user.get("must_change_password")),
        "permissions": principal.permissions,
    }
