"""Wait until a deployment that has just started serves an order from end to end.

`/readyz` says each part is up, not that every connection between the parts is: on the
container lab, orders' first lookups of the `gateway` host have been seen to time out for
several seconds after the stack reported ready. Orders then answers 503 with Retry-After,
as it should. A client honouring that header retries; the suite does the same once, before
its tests, so that each test starts against a deployment whose whole path works.
"""

from __future__ import annotations

import asyncio
import time
import uuid

from tests.integration.helpers import bearer, new_customer, new_product, sign_in
from tests.system import System

WARM_UP_SECONDS = 90.0
RETRYABLE = (503, 504)


async def until_an_order_goes_through(system: System, *, timeout: float = WARM_UP_SECONDS) -> float:
    """Place one order, retrying its key while the answer is a 503/504; the seconds it took.

    Fails (AssertionError) when no order is confirmed within `timeout`, or when the answer
    is anything but a 201 or a retryable 5xx.
    """
    async with system.client() as gateway:
        admin = await sign_in(gateway, *system.admin)
        product = await new_product(gateway, admin, stock=1)
        _, token = await new_customer(gateway, admin)
        headers = {**bearer(token), "Idempotency-Key": str(uuid.uuid4())}
        body = {"items": [{"product_id": product["id"], "quantity": 1}]}
        started = time.monotonic()
        while True:
            response = await gateway.post("/orders", json=body, headers=headers)
            waited = time.monotonic() - started
            if response.status_code not in RETRYABLE or waited > timeout:
                break
            retry_after = response.headers.get("Retry-After", "1")
            await asyncio.sleep(min(float(retry_after) if retry_after.isdigit() else 1.0, 2.0))
    assert response.status_code == 201, f"no order went through in {waited:.0f} s: {response.text}"
    return waited
