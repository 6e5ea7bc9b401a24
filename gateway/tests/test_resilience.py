"""Timeouts, retries and the circuit breaker against slow, hung, flaky and stopped upstreams."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest

from .conftest import StartGateway, orders_silent, start_upstream, upstreams_env
from .servers import ServerProcess, SilentServer

pytestmark = pytest.mark.slow


class DropFirstServer:
    """Breaks the first connection that asks for `/catalog` or `/orders`: closes it without
    answering (`close`), resets it (`reset`), or cuts the answer's body short (`truncate`)."""

    def __init__(self, how: str = "close") -> None:
        self.how = how
        self.connections = 0  # proxied requests seen (the gateway's spec fetches not counted)
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> DropFirstServer:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1]
                if not path.startswith((b"/catalog", b"/orders")):
                    writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                    await writer.drain()
                    return
                self.connections += 1
                if self.connections == 1 and self.how == "reset":
                    writer.transport.abort()
                    return
                if self.connections == 1 and self.how == "truncate":
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nok")
                    await writer.drain()
                    return
                if self.connections > 1:
                    writer.write(
                        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                        b"Content-Length: 2\r\nConnection: close\r\n\r\nok"
                    )
                    await writer.drain()
            finally:
                writer.close()

        self._server = await asyncio.start_server(handle, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    @property
    def url(self) -> str:
        """Base URL of the server."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"


@pytest.fixture(scope="module")
async def resilient(
    start_gateway: StartGateway, echo: ServerProcess, silent: SilentServer
) -> ServerProcess:
    """A gateway with short timeouts: catalog is the echo upstream, orders never answers."""
    return await start_gateway(
        "resilient",
        GATEWAY_UPSTREAMS=orders_silent(echo, silent),
        GATEWAY_READ_TIMEOUT_SECONDS="0.5",
        GATEWAY_CONNECT_TIMEOUT_SECONDS="0.5",
        GATEWAY_BREAKER_FAILURE_THRESHOLD="50",
    )


async def test_slow_upstream_gets_504_after_the_read_timeout(resilient: ServerProcess) -> None:
    async with httpx.AsyncClient(base_url=resilient.url, timeout=10) as client:
        start = time.monotonic()
        response = await client.get("/catalog/slow", params={"seconds": "3"})
        elapsed = time.monotonic() - start
    assert response.status_code == 504
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("upstream-timeout")
    assert response.headers["retry-after"] == "1"
    assert elapsed < 2.0


async def test_hung_upstream_gets_504_instead_of_a_hang(resilient: ServerProcess) -> None:
    async with httpx.AsyncClient(base_url=resilient.url, timeout=10) as client:
        start = time.monotonic()
        response = await client.post("/orders", json={"items": []})
        elapsed = time.monotonic() - start
    assert response.status_code == 504
    assert elapsed < 2.0


async def test_idempotent_request_is_retried_once_on_a_dropped_connection(
    start_gateway: StartGateway, echo: ServerProcess
) -> None:
    async with DropFirstServer() as flaky_get, DropFirstServer() as flaky_post:
        gateway = await start_gateway(
            "retry",
            GATEWAY_UPSTREAMS=upstreams_env(
                {"catalog": (flaky_get.url, ["/catalog"]), "orders": (flaky_post.url, ["/orders"])}
            ),
        )
        async with httpx.AsyncClient(base_url=gateway.url, timeout=10) as client:
            retried = await client.get("/catalog/products")
            not_retried = await client.post("/orders", content=b"{}")
        await gateway.stop()
    assert retried.status_code == 200
    assert retried.text == "ok"
    assert flaky_get.connections == 2
    # A service that hangs up mid-request is down or restarting: the client may retry soon.
    assert not_retried.status_code == 503
    assert not_retried.json()["status"] == 503
    assert not_retried.json()["type"].endswith("upstream-disconnected")
    assert not_retried.headers["retry-after"] == "1"
    assert flaky_post.connections == 1


@pytest.mark.parametrize("how", ["reset", "truncate"])
async def test_upstream_dying_mid_request_is_503_with_retry_after(
    start_gateway: StartGateway, echo: ServerProcess, how: str
) -> None:
    # A service killed mid-request resets its connections or cuts its answer short: it is
    # down or restarting, so the client is told to retry, not that the answer was garbage.
    async with DropFirstServer(how) as dying:
        gateway = await start_gateway(
            f"dying-{how}",
            GATEWAY_UPSTREAMS=upstreams_env(
                {"catalog": (echo.url, ["/catalog"]), "orders": (dying.url, ["/orders"])}
            ),
        )
        async with httpx.AsyncClient(base_url=gateway.url, timeout=10) as client:
            response = await client.post("/orders", content=b"{}")
        await gateway.stop()
    assert response.status_code == 503
    assert response.json()["type"].endswith("upstream-disconnected")
    assert response.headers["retry-after"] == "1"


async def test_breaker_opens_after_failures_and_closes_after_a_probe(
    start_gateway: StartGateway, echo: ServerProcess, log_dir: Path
) -> None:
    orders = await start_upstream("flaky-orders", log_dir)
    gateway = await start_gateway(
        "breaker",
        GATEWAY_UPSTREAMS=upstreams_env(
            {"catalog": (echo.url, ["/catalog"]), "orders": (orders.url, ["/orders"])}
        ),
        GATEWAY_BREAKER_FAILURE_THRESHOLD="3",
        GATEWAY_BREAKER_OPEN_SECONDS="1.5",
    )
    try:
        async with httpx.AsyncClient(base_url=gateway.url, timeout=10) as client:
            assert (await client.get("/orders/1")).status_code == 200
            await orders.stop()
            failures = [await client.get("/orders/1") for _ in range(3)]
            assert [r.status_code for r in failures] == [503, 503, 503]
            assert all(r.json()["type"].endswith("upstream-unreachable") for r in failures)
            assert all(r.headers["retry-after"] == "1" for r in failures)

            opened = await client.get("/orders/1")
            assert opened.status_code == 503
            assert opened.json()["type"].endswith("upstream-unavailable")
            assert opened.headers["content-type"] == "application/problem+json"
            assert 1 <= int(opened.headers["retry-after"]) <= 2
            # Other upstreams are unaffected.
            assert (await client.get("/catalog/products")).status_code == 200

            await orders.start(ready_path="/readyz")
            assert (await client.get("/orders/1")).status_code == 503  # still open
            await asyncio.sleep(1.6)
            probe = await client.get("/orders/1")
            assert probe.status_code == 200
            assert (await client.get("/orders/1")).status_code == 200
    finally:
        await gateway.stop()
        await orders.stop()


async def test_half_open_probe_failure_opens_the_breaker_again(
    start_gateway: StartGateway, echo: ServerProcess, log_dir: Path
) -> None:
    orders = await start_upstream("dead-orders", log_dir)
    await orders.stop()
    gateway = await start_gateway(
        "breaker2",
        GATEWAY_UPSTREAMS=upstreams_env({"orders": (orders.url, ["/orders"])}),
        GATEWAY_BREAKER_FAILURE_THRESHOLD="2",
        GATEWAY_BREAKER_OPEN_SECONDS="1",
    )
    try:
        async with httpx.AsyncClient(base_url=gateway.url, timeout=10) as client:
            answers = [(await client.get("/orders")).json()["type"] for _ in range(3)]
            assert [t.rsplit(":", 1)[1] for t in answers] == [
                "upstream-unreachable",
                "upstream-unreachable",
                "upstream-unavailable",
            ]
            await asyncio.sleep(1.1)
            probe = await client.get("/orders")  # the probe fails
            assert probe.json()["type"].endswith("upstream-unreachable")
            again = await client.get("/orders")  # open again at once
            assert again.json()["type"].endswith("upstream-unavailable")
    finally:
        await gateway.stop()
