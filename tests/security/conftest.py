"""The security suite: the OWASP API Security Top 10 (2023) and each attack once found, tried
through the gateway against a system of its own while legitimate traffic keeps being served.

The system is booted like `make run` with one extra service client, `warehouse`, that also
holds `catalog:reserve` (to show one client's secret does not control another's stock).
Callers behind the gateway are told apart by `X-Forwarded-For`: the suite connects from
loopback, which the gateway trusts as a proxy (uvicorn's default), like a load balancer.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.security.traffic import address
from tests.system import System, system_of_its_own

WAREHOUSE = ("warehouse", f"warehouse-secret-{uuid.uuid4().hex}")
"""A second service client with `catalog:reserve` (id, secret)."""


@pytest.fixture(scope="package")
async def system(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[System]:
    """The system under attack, booted for this suite alone."""
    data_dir = tmp_path_factory.mktemp("security-stack")
    clients = {
        "orders": {
            "secret_file": str(data_dir / "keys" / "orders-client-secret"),
            "scopes": ["catalog:reserve"],
        },
        WAREHOUSE[0]: {"secret": WAREHOUSE[1], "scopes": ["catalog:reserve"]},
    }
    async with system_of_its_own(
        data_dir,
        prefix="sec",
        why="the security suite attacks a system of its own (floods, lock-outs, a second "
        "service client, callers told apart by X-Forwarded-For); it does not attack the "
        "deployment at EMPORIUM_BASE_URL",
        extra_env={"AUTH_CLIENTS": json.dumps(clients)},
    ) as booted:
        yield booted


@pytest.fixture
async def gateway(system: System) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the gateway (from an address of its own)."""
    async with system.client(headers={"X-Forwarded-For": address()}) as client:
        yield client
