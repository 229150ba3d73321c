"""Bearer-token checks: reads need the token when one is set; uploads and deletions always need one."""

from __future__ import annotations

import hmac

from fastapi import Request

from rag.api.errors import ApiError
from rag.settings import Settings

NO_TOKEN_FOR_WRITES = (
    "changing the library through the API is switched off: set RAG_API_TOKEN on the server (for example "
    "RAG_API_TOKEN=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')), restart it and send "
    "'Authorization: Bearer <token>'"
)
WRONG_TOKEN = "missing or wrong bearer token: send 'Authorization: Bearer <RAG_API_TOKEN>'"


def presented_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def token_matches(settings: Settings, token: str | None) -> bool:
    """True when ``token`` is the configured one (compared in constant time)."""
    if settings.api_token is None or token is None:
        return False
    return hmac.compare_digest(token.encode(), settings.api_token.get_secret_value().encode())


def require_reader(request: Request) -> None:
    """Dependency of every /v1 route: the token must match when one is configured."""
    settings: Settings = request.app.state.settings
    if settings.api_token is not None and not token_matches(settings, presented_token(request)):
        raise ApiError(401, WRONG_TOKEN, "authentication_error", "invalid_api_key")


def require_writer(request: Request) -> None:
    """Dependency of upload and delete: refused (403) while no token is configured, 401 on a wrong one."""
    settings: Settings = request.app.state.settings
    if settings.api_token is None:
        raise ApiError(403, NO_TOKEN_FOR_WRITES, "permission_error", "writes_disabled")
    if not token_matches(settings, presented_token(request)):
        raise ApiError(401, WRONG_TOKEN, "authentication_error", "invalid_api_key")
