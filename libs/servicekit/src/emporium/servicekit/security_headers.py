"""Response headers that keep browsers from misusing what a service answers."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# An API answers JSON: nothing on it may load, run or frame anything.
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


class SecurityHeadersMiddleware:
    """Add nosniff, no framing, no referrer and a Content-Security-Policy to every answer.

    A header the response set itself is kept (a page may need its own policy).
    """

    def __init__(self, app: ASGIApp, *, content_security_policy: str = API_POLICY) -> None:
        self.app = app
        self._headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"content-security-policy", content_security_policy.encode()),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection scope."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", ())}
                missing = [h for h in self._headers if h[0] not in present]
                if missing:
                    message["headers"] = [*message.get("headers", ()), *missing]
            await send(message)

        await self.app(scope, receive, send_with_headers)
