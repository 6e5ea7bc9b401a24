"""One trace from the gateway through orders and the catalog to PostgreSQL, as exported.

The system booted here sends OTLP/HTTP to a receiver this module starts; the assertions read
the decoded spans. A second system, with the SDK disabled, must not even try to export.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from emporium.devstack.stack import DEMO_ADMIN
from emporium.servicekit.otlp_receiver import (
    SPAN_KIND_CLIENT,
    SPAN_KIND_INTERNAL,
    SPAN_KIND_SERVER,
    STATUS_ERROR,
    OtlpReceiver,
    ReceivedSpan,
    otlp_receiver,
)
from tests.integration.helpers import bearer, new_customer, new_product, sign_in
from tests.system import System, booted_system

pytestmark = pytest.mark.slow

ORDER_ID = "emporium.order.id"
GATEWAY_METRICS_TOKEN = "scraper-token-of-the-trace-tests"


def _tracing_env(receiver: OtlpReceiver) -> dict[str, str]:
    return {
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url,
        "OTEL_TRACES_SAMPLER": "parentbased_always_on",
        "OTEL_BSP_SCHEDULE_DELAY": "200",
        "CATALOG_RESERVATION_TTL": "60",
        "GATEWAY_METRICS_TOKEN": GATEWAY_METRICS_TOKEN,
    }


@pytest.fixture(scope="module")
async def receiver() -> AsyncIterator[OtlpReceiver]:
    """The OTLP/HTTP endpoint the traced system exports to."""
    async with otlp_receiver() as receiver:
        yield receiver


@pytest.fixture(scope="module")
async def traced(
    tmp_path_factory: pytest.TempPathFactory, receiver: OtlpReceiver
) -> AsyncIterator[System]:
    """A system of its own with tracing on (the suite's shared one runs without)."""
    async with booted_system(
        tmp_path_factory.mktemp("traced"),
        prefix="otel",
        admin=DEMO_ADMIN,
        extra_env=_tracing_env(receiver),
    ) as system:
        yield system


@pytest.fixture
async def edge(traced: System) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the traced system's gateway."""
    async with httpx.AsyncClient(base_url=traced.base_url, timeout=20.0) as client:
        yield client


@pytest.fixture
async def admin(traced: System, edge: httpx.AsyncClient) -> str:
    """The traced system's admin token."""
    return await sign_in(edge, *traced.admin)


def _traceparent() -> tuple[str, str, str]:
    trace_id, span_id = secrets.token_hex(16), secrets.token_hex(8)
    return f"00-{trace_id}-{span_id}-01", trace_id, span_id


def _one(spans: list[ReceivedSpan], service: str, kind: int, name: str) -> list[ReceivedSpan]:
    return [s for s in spans if s.service == service and s.kind == kind and s.name == name]


def _children(spans: list[ReceivedSpan], parent: ReceivedSpan) -> list[ReceivedSpan]:
    return [s for s in spans if s.parent_id == parent.span_id]


async def _place(
    edge: httpx.AsyncClient, token: str, product: dict[str, object], quantity: int
) -> tuple[httpx.Response, str, str]:
    traceparent, trace_id, span_id = _traceparent()
    response = await edge.post(
        "/orders",
        json={"items": [{"product_id": product["id"], "quantity": quantity}]},
        headers={**bearer(token), "Idempotency-Key": str(uuid.uuid4()), "traceparent": traceparent},
    )
    return response, trace_id, span_id


async def test_an_order_is_one_trace_from_the_gateway_through_orders_and_catalog_to_postgres(
    traced: System, receiver: OtlpReceiver, edge: httpx.AsyncClient, admin: str
) -> None:
    _, token = await new_customer(edge, admin)
    product = await new_product(edge, admin, stock=5)

    placed, trace_id, client_span_id = await _place(edge, token, product, 2)

    assert placed.status_code == 201, placed.text
    order_id = placed.json()["id"]
    spans = await receiver.wait_for(trace_id, _complete_order_trace)
    assert _complete_order_trace(spans), sorted(map(str, spans))
    # The client's sampled trace continued: the gateway's server span is the client's child.
    (edge_in,) = [
        s
        for s in _one(spans, "gateway", SPAN_KIND_SERVER, "POST /orders/**")
        if s.parent_id == client_span_id
    ]
    assert edge_in.attributes["http.response.status_code"] == 201
    (edge_out,) = [s for s in _children(spans, edge_in) if s.kind == SPAN_KIND_CLIENT]
    assert edge_out.attributes["http.response.status_code"] == 201
    (orders_in,) = _children(spans, edge_out)
    assert (orders_in.service, orders_in.kind, orders_in.name) == (
        "orders",
        SPAN_KIND_SERVER,
        "POST /orders",
    )
    (placing,) = [s for s in _children(spans, orders_in) if s.name == "place order"]
    assert placing.kind == SPAN_KIND_INTERNAL
    assert placing.attributes[ORDER_ID] == order_id
    assert placing.status_code != STATUS_ERROR
    assert _sql(spans, orders_in), "orders' database calls are in the trace"
    # orders -> gateway -> catalog: the reservation goes through the gateway again.
    (to_catalog,) = [
        s
        for s in _descendants(spans, placing)
        if s.service == "orders"
        and s.kind == SPAN_KIND_CLIENT
        and "/catalog/reservations" in str(s.attributes.get("url.full", ""))
    ]
    (edge_again,) = _children(spans, to_catalog)
    assert (edge_again.service, edge_again.name) == ("gateway", "POST /catalog/**")
    (edge_again_out,) = [s for s in _children(spans, edge_again) if s.kind == SPAN_KIND_CLIENT]
    (catalog_in,) = _children(spans, edge_again_out)
    assert (catalog_in.service, catalog_in.kind) == ("catalog", SPAN_KIND_SERVER)
    assert catalog_in.name == "POST /catalog/reservations"
    statements = _sql(spans, catalog_in)
    assert statements, "the catalog's database calls are in the trace"
    assert all(s.attributes.get("db.system.name") == "postgresql" for s in statements)
    assert {s.trace_id for s in spans} == {trace_id}
    # Every service's log lines of this request carry the trace id beside the request id.
    catalog_lines = [
        json.loads(line)
        for line in traced.log_path("catalog").read_text().splitlines()
        if trace_id in line
    ]
    assert catalog_lines, "the catalog logged the request with its trace id"
    assert all(line["span_id"] and line["request_id"] for line in catalog_lines)


def _complete_order_trace(spans: list[ReceivedSpan]) -> bool:
    catalog_in = [s for s in spans if s.service == "catalog" and s.kind == SPAN_KIND_SERVER]
    return (
        bool(catalog_in)
        and bool(_sql(spans, catalog_in[0]))
        and any(s.name == "place order" for s in spans)
        and sum(1 for s in spans if s.service == "gateway" and s.kind == SPAN_KIND_SERVER) >= 2
    )


def _descendants(spans: list[ReceivedSpan], root: ReceivedSpan) -> list[ReceivedSpan]:
    found: list[ReceivedSpan] = []
    frontier = [root]
    while frontier:
        children = [c for p in frontier for c in _children(spans, p)]
        found.extend(children)
        frontier = children
    return found


def _sql(spans: list[ReceivedSpan], server: ReceivedSpan) -> list[ReceivedSpan]:
    """The database spans under a server span, in its own service."""
    return [
        s
        for s in _descendants(spans, server)
        if s.service == server.service
        and s.kind == SPAN_KIND_CLIENT
        and "db.system.name" in s.attributes
    ]


async def test_an_order_refused_for_short_stock_marks_its_placement_span_as_an_error(
    receiver: OtlpReceiver, edge: httpx.AsyncClient, admin: str
) -> None:
    _, token = await new_customer(edge, admin)
    product = await new_product(edge, admin, stock=1)

    refused, trace_id, _ = await _place(edge, token, product, 3)

    assert refused.status_code == 409, refused.text
    assert refused.json()["type"].endswith(":insufficient-stock")
    spans = await receiver.wait_for(
        trace_id,
        lambda got: (
            any(s.name == "place order" for s in got)
            and any(s.service == "catalog" and s.kind == SPAN_KIND_SERVER for s in got)
        ),
    )
    (placing,) = [s for s in spans if s.name == "place order"]
    assert placing.status_code == STATUS_ERROR
    assert "stock" in placing.status_message.lower()
    assert placing.attributes[ORDER_ID]
    # The servers answered as designed (409 is the client's problem, not theirs).
    (catalog_in,) = [s for s in spans if s.service == "catalog" and s.kind == SPAN_KIND_SERVER]
    assert catalog_in.attributes["http.response.status_code"] == 409
    assert catalog_in.status_code != STATUS_ERROR
    (orders_in,) = [s for s in spans if s.service == "orders" and s.kind == SPAN_KIND_SERVER]
    assert orders_in.status_code != STATUS_ERROR


async def test_edge_rejections_are_spans_with_their_status(
    receiver: OtlpReceiver, edge: httpx.AsyncClient
) -> None:
    traceparent, trace_id, span_id = _traceparent()

    refused = await edge.get(
        "/orders", headers={"Authorization": "Bearer not-a-token", "traceparent": traceparent}
    )

    assert refused.status_code == 401
    spans = await receiver.wait_for(trace_id, bool)
    (rejection,) = spans
    assert (rejection.service, rejection.kind, rejection.parent_id) == (
        "gateway",
        SPAN_KIND_SERVER,
        span_id,
    )
    assert rejection.attributes["http.response.status_code"] == 401
    assert rejection.attributes["error.type"] == "unauthorized"


async def test_with_the_sdk_disabled_nothing_is_exported(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    async with otlp_receiver() as silent:
        env = {**_tracing_env(silent), "OTEL_SDK_DISABLED": "true"}
        async with booted_system(
            tmp_path_factory.mktemp("untraced"), prefix="nootel", admin=DEMO_ADMIN, extra_env=env
        ) as system:
            async with httpx.AsyncClient(base_url=system.base_url, timeout=20.0) as client:
                email, password = system.admin
                token = await client.post(
                    "/auth/token",
                    data={"grant_type": "password", "username": email, "password": password},
                )
                admin = str(token.json()["access_token"])
                _, customer = await new_customer(client, admin)
                product = await new_product(client, admin, stock=2)
                placed, trace_id, _ = await _place(client, customer, product, 1)
                assert placed.status_code == 201, placed.text
                await asyncio.sleep(1.5)  # seven export intervals of the traced setting
            # Log lines still join up: the ids come from the propagated traceparent.
            assert trace_id in system.log_path("catalog").read_text()
        assert silent.requests == 0


def _sample(text: str, name: str, **labels: str) -> float:
    """The value of one series in a Prometheus text exposition (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{"):
            continue
        body = line[len(name) + 1 : line.rindex("}")]
        found = dict(part.split("=", 1) for part in body.split(","))
        if all(found.get(k) == f'"{v}"' for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_order_outcomes_breakers_and_key_refreshes_are_metrics(
    traced: System, edge: httpx.AsyncClient, admin: str
) -> None:
    _, token = await new_customer(edge, admin)
    product = await new_product(edge, admin, stock=1)
    async with httpx.AsyncClient(base_url=traced.service_url("orders")) as orders:
        before = (await orders.get("/metrics")).text

        assert (await _place(edge, token, product, 1))[0].status_code == 201
        assert (await _place(edge, token, product, 1))[0].status_code == 409

        after = (await orders.get("/metrics")).text
    calls = {"upstream": "catalog", "state": "closed"}
    assert _sample(after, "service_client_circuit_breaker_state", **calls) == 1.0
    assert _sample(after, "orders_placed_total") == _sample(before, "orders_placed_total") + 1
    reason = {"reason": "insufficient-stock"}
    rejected = _sample(after, "orders_rejected_total", **reason)
    assert rejected == _sample(before, "orders_rejected_total", **reason) + 1
    scrape = {"Authorization": f"Bearer {GATEWAY_METRICS_TOKEN}"}
    gateway = (await edge.get("/metrics", headers=scrape)).text
    closed = {"upstream": "catalog", "state": "closed"}
    assert _sample(gateway, "gateway_circuit_breaker_state", **closed) == 1.0
    assert _sample(gateway, "gateway_circuit_breaker_state", upstream="catalog", state="open") == 0
    assert _sample(gateway, "jwks_refreshes_total", result="success") >= 1
