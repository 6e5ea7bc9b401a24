"""Smoke test of the order benchmark's load pieces (the benchmark itself is `make bench-orders`)."""

from __future__ import annotations

import asyncio
import random
import uuid

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from bench.orderload import Mix, Sample, closed_loop, open_loop
from bench.otlp_sink import otlp_sink


def test_mix_draws_one_to_three_distinct_lines_or_the_hot_product() -> None:
    products = [uuid.uuid4() for _ in range(10)]
    rng = random.Random(1)
    for _ in range(50):
        lines = Mix(products).lines(rng)
        assert 1 <= len(lines) <= 3
        assert len({line["product_id"] for line in lines}) == len(lines)
    hot = Mix(products, hot=products[0]).lines(rng)
    assert hot == [{"product_id": str(products[0]), "quantity": 1}]


async def test_closed_and_open_loops_count_statuses_and_latencies() -> None:
    async def attempt(n: int) -> int:
        await asyncio.sleep(0.001)
        return 201 if n % 4 else 409

    closed = await closed_loop(attempt, concurrency=4, seconds=0.2)
    assert closed.statuses[201] > closed.statuses[409] > 0
    assert len(closed.latencies) == closed.statuses[201]
    assert 0 < closed.percentile(0.5) <= closed.percentile(0.99)

    opened = await open_loop(attempt, rate=100, seconds=0.3)
    assert sum(opened.statuses.values()) == 30
    assert opened.created_per_second > 0


def test_sample_breakdown_is_per_second() -> None:
    sample = Sample(seconds=2.0)
    sample.statuses.update({201: 10, 429: 4})
    assert sample.breakdown() == "201: 5.0, 429: 2.0"


async def test_otlp_sink_takes_what_the_sdk_exports_and_modes_set_the_sampler() -> None:
    async with otlp_sink() as sink:
        provider = TracerProvider()
        exporter = OTLPSpanExporter(endpoint=f"{sink.url}/v1/traces")
        provider.add_span_processor(SimpleSpanProcessor(exporter))

        def one_span() -> None:
            with provider.get_tracer("bench").start_as_current_span("work"):
                pass

        await asyncio.to_thread(one_span)  # the exporter blocks; the sink runs on this loop
        provider.shutdown()
    assert sink.requests == 1
    assert sink.bytes > 0
    assert sink.env("off") == {}
    assert sink.env("10pct")["OTEL_TRACES_SAMPLER_ARG"] == "0.1"
    assert sink.env("always")["OTEL_EXPORTER_OTLP_ENDPOINT"] == sink.url
