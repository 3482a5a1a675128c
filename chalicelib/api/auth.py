"""Login, token refresh, logout, password change, and who am I."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.framework import PUBLIC, Request, route
from chalicelib.domain.models import ChangePasswordRequest, LoginRequest, RefreshRequest, TokenResponse, UserInfo
from chalicelib.services.auth import user_info

bp = Blueprint(__name__)


@route(bp, "/auth/login", "POST", PUBLIC, "Log in with username and password", "auth",
       body=LoginRequest, response=TokenResponse, extra_errors=(401, 429))
def login(req: Request) -> dict:
    return req.services.auth.login(req.body.username, req.body.password)


@route(bp, "/auth/refresh", "POST", PUBLIC, "Swap a refresh token for new tokens", "auth",
       body=RefreshRequest, response=TokenResponse, extra_errors=(401,))
def refresh(req: Request) -> dict:
    return req.services.auth.refresh(req.body.refresh_token)


@route(bp, "/auth/logout", "POST", "self", "Revoke a refresh token", "auth", body=RefreshRequest, status=204)
def logout(req: Request) -> None:
    req.services.auth.logout(req.body.refresh_token)


@route(bp, "/auth/change-password", "POST", "self", "Change your password (revokes other sessions)", "auth",
       body=ChangePasswordRequest, response=TokenResponse)
def change_password(req: Request) -> dict:
    return req.services.auth.change_password(req.who, req.body.current_password, req.body.new_password)


@route(bp, "/auth/me", "GET", "self", "The logged-in user", "auth", response=UserInfo)
def me(req: Request) -> dict:
    assert req.user is not None
    return user_info(req.user)
