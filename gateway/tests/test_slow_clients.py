"""Slow clients against a real gateway process over raw sockets: deadlines, caps, own pools."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import httpx
import pytest

from emporium.devstack.components import GATEWAY
from emporium.gateway.server import UVICORN_OPTION

from .conftest import StartGateway, orders_silent
from .rawhttp import RawClient, trickle, upload_head
from .servers import TESTS_DIR, ServerProcess, SilentServer

pytestmark = pytest.mark.slow

HEADER_TIMEOUT = 1.0
BODY_TIMEOUT = 1.0
MIN_RATE = 1000  # bytes per second
PER_CLIENT = 3
ATTACKER = "127.0.0.2"  # loopback has every 127/8 address: a second client without a network


@pytest.fixture(scope="module")
async def guarded(
    start_gateway: StartGateway, echo: ServerProcess, silent: SilentServer
) -> ServerProcess:
    """A gateway with short slow-client bounds; orders (only) never answers."""
    return await start_gateway(
        "guarded",
        GATEWAY_UPSTREAMS=orders_silent(echo, silent),
        GATEWAY_HEADER_TIMEOUT_SECONDS=str(HEADER_TIMEOUT),
        GATEWAY_BODY_TIMEOUT_SECONDS=str(BODY_TIMEOUT),
        GATEWAY_BODY_MIN_RATE=str(MIN_RATE),
        GATEWAY_MAX_IN_FLIGHT_PER_CLIENT=str(PER_CLIENT),
        GATEWAY_POOL_SIZE="2",
        GATEWAY_READ_TIMEOUT_SECONDS="2",
        GATEWAY_BREAKER_FAILURE_THRESHOLD="1000",
    )


async def seen_upstream(echo: ServerProcess, rid: str) -> bool:
    """Whether any of the request with id `rid` reached the echo upstream."""
    async with httpx.AsyncClient(base_url=echo.url) as direct:
        return (await direct.get("/__seen", params={"rid": rid})).status_code == 200


async def test_unfinished_headers_get_408_and_the_connection_closed(
    guarded: ServerProcess,
) -> None:
    client = await RawClient.open(guarded)
    await client.send(b"GET /catalog/products HTTP/1.1\r\nHost: shop\r\n")
    answer = await client.answer()
    answer.closing_problem(408, "request headers did not arrive within 1 s")
    assert HEADER_TIMEOUT - 0.1 < answer.seconds < HEADER_TIMEOUT + 2


async def test_headers_trickled_a_byte_at_a_time_are_cut_off_at_the_same_deadline(
    guarded: ServerProcess,
) -> None:
    client = await RawClient.open(guarded)
    await client.send(b"GET /catalog/products HTTP/1.1\r\nHost: shop\r\nX-Padding: ")
    answer = await trickle(client, b"a", every=0.05, limit=HEADER_TIMEOUT + 3)
    assert answer.status == 408
    assert answer.seconds < HEADER_TIMEOUT + 2


async def test_a_connection_that_never_sends_is_closed_without_an_answer(
    guarded: ServerProcess,
) -> None:
    client = await RawClient.open(guarded)
    answer = await client.answer()
    assert answer.status == 0  # nothing was asked, so nothing is answered
    assert answer.seconds < HEADER_TIMEOUT + 2


async def test_a_stalled_body_gets_408_and_never_reaches_the_upstream(
    guarded: ServerProcess, echo: ServerProcess
) -> None:
    rid = f"stalled-{uuid.uuid4().hex}"
    client = await RawClient.open(guarded)
    await client.send(upload_head(200_000, rid) + b"a few bytes")
    answer = await client.answer()
    assert answer.status == 408
    problem = answer.problem()
    assert str(problem["type"]).endswith("request-timeout")
    assert "request body did not arrive in time" in str(problem["detail"])
    assert problem["request_id"] == rid
    assert answer.headers["connection"] == "close"
    assert BODY_TIMEOUT - 0.1 < answer.seconds < BODY_TIMEOUT + 2
    assert not await seen_upstream(echo, rid)


async def test_a_body_slower_than_the_minimum_rate_is_cut_off(guarded: ServerProcess) -> None:
    # 100 bytes every 0.25 s is 400 B/s, under the 1000 B/s minimum: the deadline (1 s plus
    # 1 s per 1000 bytes received) is passed long before the 10,000 bytes are in.
    client = await RawClient.open(guarded)
    await client.send(upload_head(10_000))
    answer = await trickle(client, b"b" * 100, every=0.25, limit=10)
    assert answer.status == 408
    assert answer.seconds < 5


async def test_a_body_faster_than_the_minimum_rate_gets_through(
    guarded: ServerProcess, echo: ServerProcess
) -> None:
    # 1,500 bytes every 0.5 s (3,000 B/s) for 3 s: longer than the bare body timeout, but
    # each second's bytes move the deadline on.
    rid = f"steady-{uuid.uuid4().hex}"
    client = await RawClient.open(guarded)
    await client.send(upload_head(9_000, rid))
    for _ in range(6):
        await asyncio.sleep(0.5)
        await client.send(b"c" * 1_500)
    answer = await client.answer()
    assert answer.status == 200, answer.body
    assert json.loads(answer.body)["body_size"] == 9_000
    assert answer.seconds > BODY_TIMEOUT + 1
    assert await seen_upstream(echo, rid)


async def test_an_address_gets_a_few_requests_in_flight_and_a_429_beyond(
    guarded: ServerProcess,
) -> None:
    held = [await RawClient.open(guarded, ATTACKER) for _ in range(PER_CLIENT)]
    for client in held:
        await client.send(upload_head(200_000) + b"x")
    await asyncio.sleep(0.3)
    extra = await RawClient.open(guarded, ATTACKER)
    await extra.send(b"GET /catalog/products HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n")
    refused = await extra.answer()
    assert refused.status == 429
    assert refused.headers["retry-after"] == "1"
    problem = refused.problem()
    assert str(problem["type"]).endswith("too-many-in-flight")
    assert f"already has {PER_CLIENT} requests in flight" in str(problem["detail"])
    # Another address is not affected.
    async with httpx.AsyncClient(base_url=guarded.url, timeout=5) as other:
        assert (await other.get("/catalog/products")).status_code == 200
    # The held ones end at their body deadline, which frees the address's slots.
    assert [(await c.answer()).status for c in held] == [408] * PER_CLIENT
    again = await RawClient.open(guarded, ATTACKER)
    await again.send(b"GET /catalog/products HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n")
    assert (await again.answer()).status == 200


async def test_a_refused_body_cannot_be_trickled_forever_afterwards(
    guarded: ServerProcess,
) -> None:
    client = await RawClient.open(guarded)
    await client.send(
        upload_head(50 * 1024 * 1024, keep_alive=True)
    )  # over the size limit: refused at once
    answer = await trickle(client, b"z", every=0.2, limit=HEADER_TIMEOUT + 5)
    assert answer.status == 413
    assert answer.seconds < HEADER_TIMEOUT + 2  # closed, though the client kept sending


async def test_slow_bodies_take_no_upstream_connection(guarded: ServerProcess) -> None:
    # The catalog's pool holds 2 connections; 10 clients dawdling over their bodies hold none.
    slow = [await RawClient.open(guarded, f"127.0.0.{10 + i}") for i in range(10)]
    for client in slow:
        await client.send(upload_head(200_000) + b"x")
    async with httpx.AsyncClient(base_url=guarded.url, timeout=5) as legit:
        start = time.monotonic()
        answers = await asyncio.gather(*(legit.get("/catalog/products") for _ in range(3)))
        elapsed = time.monotonic() - start
    assert [a.status_code for a in answers] == [200] * 3
    assert elapsed < BODY_TIMEOUT * 0.9  # served while every slow client still held on
    for client in slow:
        client.close()


async def test_a_hung_upstream_cannot_take_another_upstreams_connections(
    guarded: ServerProcess,
) -> None:
    # orders never answers: 2 requests hold its 2 connections, while the catalog, with a
    # pool of its own, answers at once.
    async with httpx.AsyncClient(base_url=guarded.url, timeout=10) as client:
        hung = [asyncio.create_task(client.get("/orders")) for _ in range(2)]
        await asyncio.sleep(0.3)
        start = time.monotonic()
        response = await client.get("/catalog/products")
        elapsed = time.monotonic() - start
        assert response.status_code == 200
        assert elapsed < 1.0
        assert {(await task).status_code for task in hung} == {504}


async def test_over_the_connection_cap_the_answer_is_a_503_problem(
    start_gateway: StartGateway,
) -> None:
    gateway = await start_gateway("capped", GATEWAY_MAX_CONNECTIONS="4")
    idle = [await RawClient.open(gateway) for _ in range(4)]
    await asyncio.sleep(0.2)
    client = await RawClient.open(gateway)
    await client.send(b"GET /catalog/products HTTP/1.1\r\nHost: shop\r\n\r\n")
    answer = await client.answer()
    assert answer.status == 503
    assert answer.headers["retry-after"] == "1"
    assert str(answer.problem()["type"]).endswith("overloaded")
    for conn in idle:
        conn.close()
    await asyncio.sleep(0.2)
    async with httpx.AsyncClient(base_url=gateway.url, timeout=5) as legit:
        assert (await legit.get("/catalog/products")).status_code == 200
    await gateway.stop()


def test_the_image_and_the_local_runner_serve_the_gateway_with_its_protocol() -> None:
    # Without it uvicorn has no header deadline and no connection cap: keep both starters on it.
    repo = TESTS_DIR.parents[1]
    gateway_cmd = [
        line
        for line in (repo / "Dockerfile").read_text().splitlines()
        if line.startswith("CMD") and "emporium.gateway.main:create_app" in line
    ]
    assert len(gateway_cmd) == 1
    assert json.loads(gateway_cmd[0].removeprefix("CMD").strip())[-1] == UVICORN_OPTION
    assert UVICORN_OPTION in GATEWAY.command("127.0.0.1", 8000)


async def test_bytes_that_are_not_http_get_a_400_problem(guarded: ServerProcess) -> None:
    # Regression: a NUL in a header was answered by uvicorn in plain text, not as a problem.
    client = await RawClient.open(guarded)
    await client.send(b"GET /catalog/products HTTP/1.1\r\nHost: shop\r\nX-Note: a\x00b\r\n\r\n")
    answer = await client.answer()
    answer.closing_problem(400, "not valid HTTP/1.1")
