"""The fault suite's own system: short TTL and recovery settings, a proxy before the catalog."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator

import httpx
import pytest

from emporium.devstack.components import COMPONENTS
from emporium.devstack.ports import free_port
from tests.integration.helpers import new_customer, sign_in
from tests.resilience.load import Customer
from tests.resilience.proxy import DelayProxy
from tests.resilience.scenario import Reports, Rig
from tests.system import system_of_its_own

CUSTOMERS = 16
CLIENT_TIMEOUT = 10.0
"""Seconds a customer waits for one answer; longer counts as a hang."""

# Shortened so that a scenario converges in seconds rather than minutes (see README.md).
FAULT_SUITE_ENV = {
    "CATALOG_RESERVATION_TTL": "5",
    "CATALOG_RESERVATION_SWEEP_INTERVAL": "1",
    "ORDERS_CATALOG_TIMEOUT_SECONDS": "2",
    "ORDERS_CATALOG_BREAKER_RESET_SECONDS": "2",
    "ORDERS_IDEMPOTENCY_LEASE_SECONDS": "5",
    "ORDERS_PENDING_ORDER_STALE_SECONDS": "6",
    "ORDERS_PENDING_ORDER_RECOVERY_INTERVAL_SECONDS": "1",
    "ORDERS_STOCK_RELEASE_INTERVAL_SECONDS": "1",
    "GATEWAY_READ_TIMEOUT_SECONDS": "5",
    "GATEWAY_BREAKER_OPEN_SECONDS": "2",
    # The suite signs its customers in from one address, faster than one a second.
    "GATEWAY_TOKEN_RATE_LIMIT_PER_SECOND": "50",
    "GATEWAY_TOKEN_RATE_LIMIT_BURST": "100",
}


@pytest.fixture(scope="package")
async def rig(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Rig]:
    """The system under fault, booted for this package alone and torn down after it."""
    ports = {c.name: free_port() for c in COMPONENTS}
    proxy = DelayProxy(free_port(), ports["catalog"])
    await proxy.start()
    try:
        async with (
            system_of_its_own(
                tmp_path_factory.mktemp("faults"),
                prefix="faults",
                why="the fault suite kills parts of a system it booted itself",
                extra_env=FAULT_SUITE_ENV,
                ports=ports,
                gateway_routes={"catalog": f"http://127.0.0.1:{proxy.listen_port}"},
            ) as system,
            system.client() as gateway,
        ):
            admin_token = await sign_in(gateway, *system.admin)
            # One after the other: password hashing is deliberately slow.
            customers = [await _customer(gateway, admin_token) for _ in range(CUSTOMERS)]
            yield Rig(system, proxy, gateway, admin_token, customers, CLIENT_TIMEOUT)
    finally:
        await proxy.stop()


REPORTS = pytest.StashKey[Reports]()


@pytest.fixture(scope="package")
def reports(request: pytest.FixtureRequest) -> Reports:
    """Per-scenario numbers, printed in the run's summary."""
    return request.config.stash.setdefault(REPORTS, Reports())


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Print every scenario's numbers: orders attempted, confirmed, rejected, recovery time."""
    collected = config.stash.get(REPORTS, None)
    if collected is not None and collected.items:
        terminalreporter.section("fault scenarios")
        for line in collected.lines():
            terminalreporter.write_line(line)


async def _customer(gateway: httpx.AsyncClient, admin_token: str) -> Customer:
    _, token = await new_customer(gateway, admin_token)
    claims = token.split(".")[1]
    subject = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))["sub"]
    return Customer(user_id=str(subject), token=token)
