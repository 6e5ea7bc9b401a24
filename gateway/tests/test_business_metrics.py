"""Rate-limit rejections per policy are counted on the gateway's /metrics."""

from __future__ import annotations

import httpx
import pytest

from .conftest import METRICS_TOKEN, StartGateway

pytestmark = pytest.mark.slow


async def test_rate_limit_rejections_are_counted_per_policy(start_gateway: StartGateway) -> None:
    gateway = await start_gateway(
        "tight-anonymous",
        GATEWAY_ANONYMOUS_RATE_LIMIT_PER_SECOND="0.01",
        GATEWAY_ANONYMOUS_RATE_LIMIT_BURST="1",
    )
    async with httpx.AsyncClient(base_url=gateway.url, timeout=10.0) as client:
        statuses = [(await client.get("/catalog/products")).status_code for _ in range(3)]
        metrics = await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})

    assert statuses == [200, 429, 429]
    expected = 'gateway_rate_limit_rejections_total{policy="anonymous",service="gateway"} 2.0'
    assert expected in metrics.text
