"""Request body size limit, checked before a body is read (Content-Length) and while it streams in."""

from __future__ import annotations

from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rag.api.errors import error_response
from rag.uploads import format_bytes

# Room for the multipart envelope around an uploaded file (boundaries, part headers, the file name).
MULTIPART_OVERHEAD_BYTES = 64_000


class BodySizeLimit:
    """ASGI middleware answering 413 to a request whose body is larger than ``limit_for(path)`` bytes."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await too_large(limit)(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:  # a body sent without Content-Length (chunked) went over
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counting_receive, send)


class BodyTooLarge(HTTPException):
    """Raised from ``receive``; an HTTPException, so the app's handlers answer it with a 413 body."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_message(limit))


def too_large_message(limit: int) -> str:
    return f"the request body is over the limit of {format_bytes(limit)}"


def too_large(limit: int) -> ASGIApp:
    return error_response(413, too_large_message(limit), "request_too_large", "body_too_large")
