"""The gateway's trace headers and spans: continue or restart an incoming trace, as set."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import httpx
import pytest

from emporium.servicekit.otlp_receiver import (
    SPAN_KIND_CLIENT,
    SPAN_KIND_SERVER,
    STATUS_ERROR,
    OtlpReceiver,
    otlp_receiver,
)

from .conftest import StartGateway, upstreams_env
from .servers import ServerProcess, free_port

pytestmark = pytest.mark.slow

BAGGAGE = "tenant=outsider"
# In order: a failed call opens the breaker (threshold 1); the anonymous bucket holds 3.
REFUSALS = [
    ("unreachable", "/orders/1"),
    ("open", "/orders/1"),
    ("allowed", "/catalog/products"),
    ("limited", "/catalog/products"),
]


@pytest.fixture(scope="module")
async def receiver() -> AsyncIterator[OtlpReceiver]:
    """Where the traced gateways of this module export."""
    async with otlp_receiver() as receiver:
        yield receiver


def _incoming() -> tuple[dict[str, str], str, str]:
    trace_id, span_id = secrets.token_hex(16), secrets.token_hex(8)
    headers = {
        "traceparent": f"00-{trace_id}-{span_id}-01",
        "tracestate": "vendor=claimed",
        "baggage": BAGGAGE,
    }
    return headers, trace_id, span_id


async def _traced(
    start_gateway: StartGateway, receiver: OtlpReceiver, name: str, **env: str
) -> ServerProcess:
    """A gateway that exports its spans to `receiver` every 100 ms."""
    return await start_gateway(
        name, OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url, OTEL_BSP_SCHEDULE_DELAY="100", **env
    )


async def _forwarded(url: str, headers: dict[str, str]) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=url, timeout=10.0) as client:
        response = await client.get("/catalog/products", headers=headers)
    assert response.status_code == 200, response.text
    seen: dict[str, str] = response.json()["headers"]
    return seen


async def test_traced_gateway_continues_a_trusted_trace_with_its_baggage(
    start_gateway: StartGateway, receiver: OtlpReceiver
) -> None:
    gateway = await _traced(
        start_gateway,
        receiver,
        "traced-continue",
        GATEWAY_TRACE_INCOMING="continue",
    )
    headers, trace_id, span_id = _incoming()

    seen = await _forwarded(gateway.url, headers)

    assert seen["traceparent"].split("-")[1] == trace_id
    assert seen["baggage"] == BAGGAGE
    assert seen["tracestate"] == "vendor=claimed"
    spans = await receiver.wait_for(trace_id, lambda got: len(got) >= 2)
    (server,) = [s for s in spans if s.kind == SPAN_KIND_SERVER]
    (client,) = [s for s in spans if s.kind == SPAN_KIND_CLIENT]
    assert server.parent_id == span_id
    assert server.name == "GET /catalog/**"
    assert client.parent_id == server.span_id
    # The upstream sees the client span as its parent.
    assert seen["traceparent"].split("-")[2] == client.span_id
    assert client.attributes["http.response.status_code"] == 200


async def test_traced_gateway_restarts_an_untrusted_trace_and_drops_its_baggage(
    start_gateway: StartGateway, receiver: OtlpReceiver
) -> None:
    gateway = await _traced(
        start_gateway,
        receiver,
        "traced-restart",
        GATEWAY_TRACE_INCOMING="restart",
    )
    headers, trace_id, span_id = _incoming()

    seen = await _forwarded(gateway.url, headers)

    new_trace = seen["traceparent"].split("-")[1]
    assert new_trace != trace_id
    assert "baggage" not in seen
    assert "tracestate" not in seen
    spans = await receiver.wait_for(new_trace, lambda got: len(got) >= 2)
    (server,) = [s for s in spans if s.kind == SPAN_KIND_SERVER]
    assert server.parent_id == ""
    assert server.links == (span_id,)  # still findable from the client's trace
    assert receiver.trace(trace_id) == []


async def test_untraced_gateway_restarts_an_untrusted_trace_too(
    start_gateway: StartGateway,
) -> None:
    gateway = await start_gateway("untraced-restart", GATEWAY_TRACE_INCOMING="restart")
    headers, trace_id, _ = _incoming()

    seen = await _forwarded(gateway.url, headers)

    assert seen["traceparent"].split("-")[1] != trace_id
    assert "baggage" not in seen


async def test_edge_refusals_are_server_spans_with_their_status(
    start_gateway: StartGateway, echo: ServerProcess, receiver: OtlpReceiver
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens: every call fails to connect
    gateway = await _traced(
        start_gateway,
        receiver,
        "traced-refusals",
        GATEWAY_UPSTREAMS=upstreams_env(
            {"catalog": (echo.url, ["/catalog"]), "orders": (dead, ["/orders"])}
        ),
        GATEWAY_BREAKER_FAILURE_THRESHOLD="1",
        GATEWAY_BREAKER_OPEN_SECONDS="30",
        GATEWAY_ANONYMOUS_RATE_LIMIT_PER_SECOND="0.01",
        GATEWAY_ANONYMOUS_RATE_LIMIT_BURST="3",
    )
    answers: dict[str, tuple[int, str]] = {}
    async with httpx.AsyncClient(base_url=gateway.url, timeout=10.0) as client:
        for name, path in REFUSALS:
            headers, trace_id, _ = _incoming()
            answers[name] = ((await client.get(path, headers=headers)).status_code, trace_id)

    # Unreachable: a 503 with Retry-After (a restarting service), then the open breaker.
    assert [status for status, _ in answers.values()] == [503, 503, 200, 429]
    spans = {
        name: await receiver.wait_for(
            trace_id, lambda got: any(s.kind == SPAN_KIND_SERVER for s in got)
        )
        for name, (_, trace_id) in answers.items()
    }
    (unreachable,) = [s for s in spans["unreachable"] if s.kind == SPAN_KIND_SERVER]
    assert unreachable.status_code == STATUS_ERROR
    assert unreachable.attributes["error.type"] == "upstream-unreachable"
    (failed_call,) = [s for s in spans["unreachable"] if s.kind == SPAN_KIND_CLIENT]
    assert failed_call.status_code == STATUS_ERROR
    # The open breaker answers without calling: a server span, no client span.
    (opened,) = spans["open"]
    assert (opened.kind, opened.status_code) == (SPAN_KIND_SERVER, STATUS_ERROR)
    assert opened.attributes["http.response.status_code"] == 503
    assert opened.attributes["error.type"] == "upstream-unavailable"
    # A 429 is the client's doing: recorded with its type, not as the server's error.
    (limited,) = spans["limited"]
    assert limited.attributes["http.response.status_code"] == 429
    assert limited.attributes["error.type"] == "rate-limited"
    assert limited.status_code != STATUS_ERROR
