"""The JWKS cache against a real key server: refetches, unusable keys and outages."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from emporium.servicekit.app import create_app
from emporium.servicekit.jwks import JWKSCache, KeySetUnavailable, KeyUnavailable
from emporium.servicekit.testing import TEST_AUDIENCE, TEST_ISSUER, TokenFactory, app_client
from emporium.servicekit.tokens import TokenVerifier

from .test_tokens import GuardedSettings, b64url, guarded_router


class JWKSServer:
    """A real HTTP server publishing a JWKS that tests can change, counting requests."""

    def __init__(self) -> None:
        self.keys: list[dict[str, Any]] = []
        self.requests = 0
        self.fail = False  # answer 503, as an auth service in trouble would
        self.url = ""

    async def _jwks(self, request: Request) -> JSONResponse:
        self.requests += 1
        if self.fail:
            return JSONResponse({"detail": "down"}, status_code=503)
        return JSONResponse({"keys": self.keys})

    @asynccontextmanager
    async def running(self) -> AsyncIterator[JWKSServer]:
        """Serve on a free port until the block ends."""
        app = Starlette(routes=[Route("/.well-known/jwks.json", self._jwks)])
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        )
        task = asyncio.create_task(server.serve(sockets=[sock]))
        try:
            for _ in range(500):  # up to 5 s
                if server.started or task.done():
                    break
                await asyncio.sleep(0.01)
            if not server.started:
                raise RuntimeError("the JWKS test server did not start")
            self.url = f"http://127.0.0.1:{port}/.well-known/jwks.json"
            yield self
        finally:
            server.should_exit = True
            await task
            sock.close()


@pytest.fixture
async def jwks_server() -> AsyncIterator[JWKSServer]:
    """A running JWKS server."""
    async with JWKSServer().running() as server:
        yield server


async def test_jwks_cache_refetches_on_unknown_kid_at_most_once_per_interval(
    jwks_server: JWKSServer,
) -> None:
    old, new = TokenFactory(), TokenFactory()
    strangers = [TokenFactory() for _ in range(3)]  # made up front: key generation is slow
    jwks_server.keys = [old.public_jwk]
    async with httpx.AsyncClient() as http:
        cache = JWKSCache(jwks_server.url, http, ttl=300, min_interval=1.0)
        verifier = TokenVerifier(cache, issuer=TEST_ISSUER, audience=TEST_AUDIENCE)
        assert (await verifier.verify(old.issue("a"))).subject == "a"
        assert jwks_server.requests == 1
        await verifier.verify(old.issue("a"))
        assert jwks_server.requests == 1  # cached

        # Rotation: the issuer publishes a new key; its first token triggers one refetch.
        await asyncio.sleep(1.1)
        jwks_server.keys = [new.public_jwk, old.public_jwk]
        assert (await verifier.verify(new.issue("b"))).subject == "b"
        assert jwks_server.requests == 2

        # A flood of unknown kids within the interval costs no extra fetch.
        results = await asyncio.gather(
            *(cache.get_key(s.kid) for s in strangers for _ in range(5)), return_exceptions=True
        )
        assert all(isinstance(r, KeyUnavailable) for r in results)
        assert jwks_server.requests == 2

        # After the interval, an unknown kid may refetch again (exactly once).
        await asyncio.sleep(1.1)
        results = await asyncio.gather(
            *(cache.get_key(strangers[0].kid) for _ in range(5)), return_exceptions=True
        )
        assert all(isinstance(r, KeyUnavailable) for r in results)
        assert jwks_server.requests == 3
        assert cache.fetches == 3


async def test_jwks_cache_ignores_keys_that_cannot_verify_rs256(jwks_server: JWKSServer) -> None:
    good = TokenFactory()
    jwks_server.keys = [
        {"kty": "oct", "kid": "sym", "k": b64url(b"secret")},
        {**good.public_jwk, "kid": "enc", "use": "enc"},
        good.public_jwk,
    ]
    async with httpx.AsyncClient() as http:
        cache = JWKSCache(jwks_server.url, http, min_interval=60)
        assert (await cache.get_key(good.kid))["kty"] == "RSA"
        for kid in ("sym", "enc"):
            with pytest.raises(KeyUnavailable):
                await cache.get_key(kid)


async def test_unreachable_jwks_is_a_503_with_retry_after_not_a_401() -> None:
    factory = TokenFactory()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens on this port now
    async with httpx.AsyncClient(timeout=2) as http:
        cache = JWKSCache(f"http://127.0.0.1:{port}/jwks.json", http, min_interval=5)
        app = create_app(
            GuardedSettings(log_json=False), routers=[guarded_router()], key_provider=cache
        )
        async with app_client(app) as client:
            response = await client.get(
                "/guarded/whoami", headers={"Authorization": f"Bearer {factory.issue()}"}
            )
    # The token may be valid: a 401 would make clients throw it away for our outage.
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert 1 <= int(response.headers["retry-after"]) <= 5
    assert "signing keys could not be fetched" in response.json()["detail"]
    assert "www-authenticate" not in response.headers


async def test_key_set_outage_then_recovery(jwks_server: JWKSServer) -> None:
    factory = TokenFactory()
    jwks_server.keys = []
    jwks_server.fail = True
    async with httpx.AsyncClient() as http:
        cache = JWKSCache(jwks_server.url, http, min_interval=0)
        with pytest.raises(KeySetUnavailable):
            await cache.get_key(factory.kid)
        jwks_server.fail = False
        jwks_server.keys = [factory.public_jwk]
        assert (await cache.get_key(factory.kid))["kid"] == factory.kid
        with pytest.raises(KeyUnavailable):
            await cache.get_key("someone-elses-kid")
