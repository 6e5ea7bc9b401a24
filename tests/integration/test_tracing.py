"""One trace from the gateway through orders and the catalog to PostgreSQL, as exported.

The system booted here sends OTLP/HTTP to a receiver this module starts; the assertions read
the decoded spans. A second system, with the SDK disabled, must not even try to export.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from emporium.devstack.config import DEMO_ADMIN
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
from tests.integration.telemetry import (
    children,
    complete_order_trace,
    descendants,
    metric_value,
    named,
    new_traceparent,
    sql_spans,
)
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
async def system(
    tmp_path_factory: pytest.TempPathFactory, receiver: OtlpReceiver
) -> AsyncIterator[System]:
    """A system of its own with tracing on (the suite's shared one runs without).

    It stands in for the suite's `system` in this module, so the suite's `gateway` and
    `admin_token` fixtures talk to it.
    """
    async with booted_system(
        tmp_path_factory.mktemp("traced"),
        prefix="otel",
        admin=DEMO_ADMIN,
        extra_env=_tracing_env(receiver),
    ) as system:
        yield system


async def _place(
    gateway: httpx.AsyncClient, token: str, product: dict[str, object], quantity: int
) -> tuple[httpx.Response, str, str]:
    traceparent, trace_id, span_id = new_traceparent()
    response = await gateway.post(
        "/orders",
        json={"items": [{"product_id": product["id"], "quantity": quantity}]},
        headers={**bearer(token), "Idempotency-Key": str(uuid.uuid4()), "traceparent": traceparent},
    )
    return response, trace_id, span_id


async def test_an_order_is_one_trace_from_the_gateway_through_orders_and_catalog_to_postgres(
    system: System, receiver: OtlpReceiver, gateway: httpx.AsyncClient, admin_token: str
) -> None:
    _, token = await new_customer(gateway, admin_token)
    product = await new_product(gateway, admin_token, stock=5)

    placed, trace_id, client_span_id = await _place(gateway, token, product, 2)

    assert placed.status_code == 201, placed.text
    order_id = placed.json()["id"]

    def complete(spans: list[ReceivedSpan]) -> bool:
        return complete_order_trace(spans, client_span_id=client_span_id)

    spans = await receiver.wait_for(trace_id, complete)
    assert complete(spans), sorted(map(str, spans))
    # The client's sampled trace continued: the gateway's server span is the client's child.
    (edge_in,) = [
        s
        for s in named(spans, "gateway", SPAN_KIND_SERVER, "POST /orders/**")
        if s.parent_id == client_span_id
    ]
    assert edge_in.attributes["http.response.status_code"] == 201
    (edge_out,) = [s for s in children(spans, edge_in) if s.kind == SPAN_KIND_CLIENT]
    assert edge_out.attributes["http.response.status_code"] == 201
    (orders_in,) = children(spans, edge_out)
    assert (orders_in.service, orders_in.kind, orders_in.name) == (
        "orders",
        SPAN_KIND_SERVER,
        "POST /orders",
    )
    (placing,) = [s for s in children(spans, orders_in) if s.name == "place order"]
    assert placing.kind == SPAN_KIND_INTERNAL
    assert placing.attributes[ORDER_ID] == order_id
    assert placing.status_code != STATUS_ERROR
    assert sql_spans(spans, orders_in), "orders' database calls are in the trace"
    # orders -> gateway -> catalog: the reservation goes through the gateway again.
    (to_catalog,) = [
        s
        for s in descendants(spans, placing)
        if s.service == "orders"
        and s.kind == SPAN_KIND_CLIENT
        and "/catalog/reservations" in str(s.attributes.get("url.full", ""))
    ]
    (edge_again,) = children(spans, to_catalog)
    assert (edge_again.service, edge_again.name) == ("gateway", "POST /catalog/**")
    (edge_again_out,) = [s for s in children(spans, edge_again) if s.kind == SPAN_KIND_CLIENT]
    (catalog_in,) = children(spans, edge_again_out)
    assert (catalog_in.service, catalog_in.kind) == ("catalog", SPAN_KIND_SERVER)
    assert catalog_in.name == "POST /catalog/reservations"
    statements = sql_spans(spans, catalog_in)
    assert statements, "the catalog's database calls are in the trace"
    assert all(s.attributes.get("db.system.name") == "postgresql" for s in statements)
    assert {s.trace_id for s in spans} == {trace_id}
    # Every service's log lines of this request carry the trace id beside the request id.
    catalog_lines = [
        json.loads(line)
        for line in system.log_path("catalog").read_text().splitlines()
        if trace_id in line
    ]
    assert catalog_lines, "the catalog logged the request with its trace id"
    assert all(line["span_id"] and line["request_id"] for line in catalog_lines)


async def test_an_order_refused_for_short_stock_marks_its_placement_span_as_an_error(
    receiver: OtlpReceiver, gateway: httpx.AsyncClient, admin_token: str
) -> None:
    _, token = await new_customer(gateway, admin_token)
    product = await new_product(gateway, admin_token, stock=1)

    refused, trace_id, _ = await _place(gateway, token, product, 3)

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
    receiver: OtlpReceiver, gateway: httpx.AsyncClient
) -> None:
    traceparent, trace_id, span_id = new_traceparent()

    refused = await gateway.get(
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
            async with system.client() as client:
                admin = await sign_in(client, *system.admin)
                _, customer = await new_customer(client, admin)
                product = await new_product(client, admin, stock=2)
                placed, trace_id, _ = await _place(client, customer, product, 1)
                assert placed.status_code == 201, placed.text
                await asyncio.sleep(1.5)  # seven export intervals of the traced setting
            # Log lines still join up: the ids come from the propagated traceparent.
            assert trace_id in system.log_path("catalog").read_text()
        assert silent.requests == 0


async def test_order_outcomes_breakers_and_key_refreshes_are_metrics(
    system: System, gateway: httpx.AsyncClient, admin_token: str
) -> None:
    _, token = await new_customer(gateway, admin_token)
    product = await new_product(gateway, admin_token, stock=1)
    async with httpx.AsyncClient(base_url=system.service_url("orders")) as orders:
        before = (await orders.get("/metrics")).text

        assert (await _place(gateway, token, product, 1))[0].status_code == 201
        assert (await _place(gateway, token, product, 1))[0].status_code == 409

        after = (await orders.get("/metrics")).text
    calls = {"upstream": "catalog", "state": "closed"}
    assert metric_value(after, "service_client_circuit_breaker_state", **calls) == 1.0
    assert (
        metric_value(after, "orders_placed_total")
        == metric_value(before, "orders_placed_total") + 1
    )
    reason = {"reason": "insufficient-stock"}
    rejected = metric_value(after, "orders_rejected_total", **reason)
    assert rejected == metric_value(before, "orders_rejected_total", **reason) + 1
    scrape = {"Authorization": f"Bearer {GATEWAY_METRICS_TOKEN}"}
    scraped = (await gateway.get("/metrics", headers=scrape)).text
    closed = {"upstream": "catalog", "state": "closed"}
    assert metric_value(scraped, "gateway_circuit_breaker_state", **closed) == 1.0
    assert (
        metric_value(scraped, "gateway_circuit_breaker_state", upstream="catalog", state="open")
        == 0
    )
    assert metric_value(scraped, "jwks_refreshes_total", result="success") >= 1
