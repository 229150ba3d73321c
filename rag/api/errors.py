"""Every failure as an OpenAI-style JSON error body with a message a user can act on, never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from rag.errors import DocumentError, ModelUnavailableError, QueryError, RagError, StoreError, UnknownDocumentError

log = logging.getLogger(__name__)

# The domain errors and the status each becomes (the first that matches: subclasses first).
RAG_ERROR_STATUS: dict[type[RagError], tuple[int, str]] = {
    UnknownDocumentError: (404, "not_found"),
    QueryError: (400, "invalid_request_error"),
    DocumentError: (422, "invalid_request_error"),
    StoreError: (503, "store_unavailable"),
    ModelUnavailableError: (503, "model_unavailable"),
}
HTTP_ERROR_TYPES = {401: "authentication_error", 403: "permission_error", 404: "not_found", 413: "request_too_large"}


class ApiError(Exception):
    """A refusal the API decides itself: a status, a message and an OpenAI-style error type and code."""

    def __init__(self, status: int, message: str, error_type: str = "invalid_request_error", code: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type
        self.code = code


def error_body(message: str, error_type: str, code: str | None = None) -> dict[str, Any]:
    """``{"error": {"message", "type", "code"}}``: the shape the OpenAI SDKs read into their exceptions."""
    return {"error": {"message": message, "type": error_type, "code": code}}


def error_response(status: int, message: str, error_type: str, code: str | None = None) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="treatyqa"'} if status == 401 else None
    return JSONResponse(error_body(message, error_type, code), status_code=status, headers=headers)


def rag_error_status(error: RagError) -> tuple[int, str]:
    for kind, status in RAG_ERROR_STATUS.items():
        if isinstance(error, kind):
            return status
    return 500, "server_error"


def validation_message(error: RequestValidationError) -> str:
    """The first few problems of a request body, as 'field: what is wrong'."""
    problems = []
    for problem in error.errors()[:5]:
        where = ".".join(str(part) for part in problem.get("loc", ()) if part != "body") or "body"
        problems.append(f"{where}: {problem.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(problems)


def install_error_handlers(app: FastAPI) -> None:
    """Map API refusals, domain errors, validation errors, HTTP errors and anything else to JSON bodies."""

    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.message, error.error_type, error.code)

    @app.exception_handler(RagError)
    async def rag_error(_: Request, error: RagError) -> JSONResponse:
        status, error_type = rag_error_status(error)
        return error_response(status, str(error), error_type)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        return error_response(422, validation_message(error), "invalid_request_error")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        return error_response(error.status_code, str(error.detail), HTTP_ERROR_TYPES.get(error.status_code, "error"))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path)
        message = f"internal error ({type(error).__name__}); the server log has the details"
        return error_response(500, message, "server_error")
