"""Restart and upgrade under compose: a PostgreSQL restart is ridden out, a second `up` keeps data.

These run only against a compose stack (`make test-compose` names the compose CLI in
EMPORIUM_COMPOSE); they stop and start containers of that stack.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid

import httpx
import pytest

from tests.compose.stack import COMPOSE_ENV, ComposeStack, wait_until_ready
from tests.integration.helpers import bearer, new_product, stock_of

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        COMPOSE_ENV not in os.environ,
        reason=f"needs a compose stack: `make up`, then `make test-compose` (sets {COMPOSE_ENV})",
    ),
]

APPS = ("auth", "catalog", "orders", "gateway")
MIGRATIONS = ("auth-migrate", "catalog-migrate", "orders-migrate")
READY_TIMEOUT = 180.0


@pytest.fixture
async def stack() -> ComposeStack:
    """The compose stack, once its engine answers."""
    stack = ComposeStack.from_env()
    reached = await stack.run("exec", "-T", "gateway", "true")
    if reached.returncode != 0:
        pytest.fail(
            f"cannot reach the compose stack's gateway with `{os.environ[COMPOSE_ENV]}`"
            f" (is it up? is DOCKER_HOST set for this engine?): {reached.stderr.strip()}"
        )
    return stack


async def _account(gateway: httpx.AsyncClient) -> tuple[str, str]:
    email = f"lifecycle-{uuid.uuid4().hex[:12]}@example.com"
    password = f"pw-{uuid.uuid4().hex}"
    registered = await gateway.post(
        "/auth/register", json={"email": email, "password": password, "full_name": "Lifecycle"}
    )
    assert registered.status_code == 202, registered.text
    return email, password


async def _login(gateway: httpx.AsyncClient, email: str, password: str) -> str:
    token = await gateway.post(
        "/auth/token", data={"grant_type": "password", "username": email, "password": password}
    )
    assert token.status_code == 200, token.text
    return str(token.json()["access_token"])


async def _order(gateway: httpx.AsyncClient, token: str, product_id: str, quantity: int) -> str:
    placed = await gateway.post(
        "/orders",
        json={"items": [{"product_id": product_id, "quantity": quantity}]},
        headers={**bearer(token), "Idempotency-Key": str(uuid.uuid4())},
    )
    assert placed.status_code == 201, placed.text
    assert placed.json()["status"] == "confirmed"
    return str(placed.json()["id"])


async def _wait_for_postgres(stack: ComposeStack, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    probe = ("exec", "-T", "postgres", "pg_isready", "--host=127.0.0.1", "--username=postgres")
    while (await stack.run(*probe)).returncode != 0:
        assert time.monotonic() < deadline, f"PostgreSQL did not accept connections in {timeout}s"
        await asyncio.sleep(1.0)


async def test_services_ride_out_a_postgres_restart_without_being_restarted(
    stack: ComposeStack, gateway: httpx.AsyncClient, admin_token: str
) -> None:
    before = {app: await stack.main_process(app) for app in APPS}
    token = await _login(gateway, *await _account(gateway))
    product = await new_product(gateway, admin_token, stock=5)

    (await stack.run("stop", "postgres")).check()
    try:
        began = time.monotonic()
        during = await gateway.get(f"/catalog/products/{product['id']}")
        assert during.status_code == 503, during.text
        assert during.headers["content-type"] == "application/problem+json"
        assert time.monotonic() - began < 15.0
    finally:
        (await stack.run("start", "postgres")).check()
    # `start` returns before the server accepts connections; readiness is asked after it does.
    await _wait_for_postgres(stack, READY_TIMEOUT)
    await wait_until_ready(gateway, READY_TIMEOUT)

    await _order(gateway, token, product["id"], 1)
    assert await stock_of(gateway, product["id"]) == 4
    assert {app: await stack.main_process(app) for app in APPS} == before


async def test_a_second_up_reruns_migrations_as_no_ops_and_keeps_the_data(
    stack: ComposeStack, gateway: httpx.AsyncClient, admin_token: str
) -> None:
    email, password = await _account(gateway)
    product = await new_product(gateway, admin_token, stock=7)
    order_id = await _order(gateway, await _login(gateway, email, password), product["id"], 2)

    (await stack.run("down")).check()  # keeps the volumes, as `make down` does
    (await stack.run("up", "-d", "--no-build", timeout=600.0)).check()
    await wait_until_ready(gateway, READY_TIMEOUT)

    # Each service starts only once its migration exited 0 (service_completed_successfully).
    for migration in MIGRATIONS:
        log = await stack.logs(migration)
        assert "Will assume transactional DDL" in log, log  # alembic ran, and says what it does
        assert "Running upgrade" not in log, log
    token = await _login(gateway, email, password)
    order = await gateway.get(f"/orders/{order_id}", headers=bearer(token))
    assert order.status_code == 200, order.text
    assert order.json()["status"] == "confirmed"
    assert await stock_of(gateway, product["id"]) == 5
