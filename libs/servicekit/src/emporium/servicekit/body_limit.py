"""Refuse request bodies over the configured size with a 413 problem, before reading them."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emporium.servicekit.problems import problem_response


def _too_large(limit: int) -> str:
    return f"The request body is larger than {limit} bytes."


class BodyLimitMiddleware:
    """A declared `Content-Length` over the limit is answered at once; a body streamed past it
    stops the read with a 413 `HTTPException`, which the problem handlers answer."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.limit = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection scope."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope["headers"]:
            if key == b"content-length":
                if value.isdigit() and int(value) > self.limit:
                    response = problem_response(
                        413, detail=_too_large(self.limit), instance=scope["path"]
                    )
                    await response(scope, receive, send)
                    return
                break
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise HTTPException(413, detail=_too_large(self.limit))
            return message

        await self.app(scope, limited_receive, send)
