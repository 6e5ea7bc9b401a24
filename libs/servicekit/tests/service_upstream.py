"""A scriptable upstream for the service client's tests: a token endpoint and behaviours."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from emporium.servicekit.client_credentials import ClientCredentials
from emporium.servicekit.service_client import ServiceClient


@dataclass
class Upstream:
    """A scriptable upstream: token endpoint plus a few behaviours, counting calls."""

    token_fetches: int = 0
    valid_tokens: set[str] = field(default_factory=set)
    calls: dict[str, int] = field(default_factory=dict)
    headers: list[dict[str, str]] = field(default_factory=list)
    flaky_failures: int = 0

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/auth/token")
        async def token(request: Request) -> JSONResponse:
            self.token_fetches += 1
            await asyncio.sleep(0.05)  # slow enough for concurrent callers to overlap
            if request.headers.get("authorization") != httpx.BasicAuth("svc", "pw")._auth_header:
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            value = f"token-{self.token_fetches}"
            self.valid_tokens.add(value)
            return JSONResponse({"access_token": value, "token_type": "Bearer", "expires_in": 60})

        @app.api_route("/thing/{behaviour}", methods=["GET", "POST"])
        async def thing(behaviour: str, request: Request) -> JSONResponse:
            self.calls[behaviour] = self.calls.get(behaviour, 0) + 1
            self.headers.append(dict(request.headers))
            if (
                request.headers.get("authorization", "").removeprefix("Bearer ")
                not in self.valid_tokens
            ):
                return JSONResponse({"detail": "bad token"}, status_code=401)
            if behaviour == "flaky" and self.calls[behaviour] <= self.flaky_failures:
                return JSONResponse({"detail": "busy"}, status_code=503)
            if behaviour.startswith("gateway-"):
                return JSONResponse(
                    {"type": f"urn:emporium:problem:{behaviour.removeprefix('gateway-')}",
                     "status": 502, "detail": "not forwarded"},
                    status_code=502,
                    media_type="application/problem+json",
                )  # fmt: skip
            if behaviour == "slow":
                await asyncio.sleep(2)
            if behaviour.isdigit():
                return JSONResponse(
                    {
                        "type": f"urn:emporium:problem:thing-{behaviour}",
                        "status": int(behaviour),
                        "detail": f"said {behaviour}",
                        "hint": 7,
                    },
                    status_code=int(behaviour),
                )
            return JSONResponse({"ok": True})

        return app


def make(http: httpx.AsyncClient, url: str, **kwargs: Any) -> ServiceClient:
    credentials = ClientCredentials(http, f"{url}/auth/token", "svc", "pw")
    return ServiceClient("thing", http, url, credentials=credentials, **kwargs)


def closed_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"
