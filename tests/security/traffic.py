"""Helpers of the security suite: caller addresses, accounts, and legitimate traffic that
must keep being served while an attack runs."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx

from tests.integration.helpers import bearer, sign_in
from tests.system import System

# Legitimate requests must be answered; a busy 2-core machine gets generous headroom.
LEGIT_MAX_SECONDS = 5.0


def address() -> str:
    """A caller address of its own (198.18.0.0/15, the benchmarking range)."""
    return f"198.{random.randint(18, 19)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


async def client_token(gateway: httpx.AsyncClient, client_id: str, secret: str) -> str:
    """A service client's access token (client-credentials grant)."""
    response = await gateway.post(
        "/auth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@dataclass
class Served:
    """What the legitimate caller got while the attack ran."""

    statuses: list[int] = field(default_factory=list)
    slowest: float = 0.0


@asynccontextmanager
async def served_meanwhile(
    system: System, path: str = "/catalog/products?limit=1", token: str | None = None
) -> AsyncIterator[Served]:
    """A legitimate caller (its own address) sends `path` in a loop while the block runs;
    on leaving, every answer must have been a prompt 200."""
    served = Served()
    headers = {"X-Forwarded-For": address(), **(bearer(token) if token else {})}
    async with system.client(headers=headers) as client:

        async def one() -> None:
            started = time.monotonic()
            response = await client.get(path)
            served.slowest = max(served.slowest, time.monotonic() - started)
            served.statuses.append(response.status_code)

        async def loop() -> None:
            while True:
                await one()
                await asyncio.sleep(0.1)

        task = asyncio.create_task(loop())
        try:
            yield served
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        await one()  # and once more, right after the attack
    assert served.statuses, "no legitimate request was made"
    assert set(served.statuses) == {200}, served.statuses
    assert served.slowest < LEGIT_MAX_SECONDS, served.slowest


async def new_account(
    gateway: httpx.AsyncClient, admin_token: str, roles: tuple[str, ...] = ("customer",)
) -> tuple[str, str, str]:
    """An account opened by the admin; returns (email, password, access token)."""
    email = f"sec-{uuid.uuid4().hex[:12]}@example.com"
    password = f"pw-{uuid.uuid4().hex}"
    created = await gateway.post(
        "/auth/users",
        json={"email": email, "password": password, "full_name": "Sec", "roles": list(roles)},
        headers=bearer(admin_token),
    )
    assert created.status_code == 201, created.text
    return email, password, await sign_in(gateway, email, password)


async def place_order(
    gateway: httpx.AsyncClient, token: str, product_id: object, quantity: int
) -> httpx.Response:
    """POST /orders for one line, with a fresh Idempotency-Key."""
    return await gateway.post(
        "/orders",
        json={"items": [{"product_id": str(product_id), "quantity": quantity}]},
        headers={**bearer(token), "Idempotency-Key": str(uuid.uuid4())},
    )
