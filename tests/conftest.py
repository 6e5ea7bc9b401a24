"""The cross-service suite: boots the whole system like `make run`, or uses EMPORIUM_BASE_URL."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import httpx
import pytest

from emporium.devstack.config import DEMO_ADMIN
from tests.integration.helpers import sign_in
from tests.system import System, booted_system
from tests.warmup import until_an_order_goes_through


@pytest.fixture(scope="session")
async def system(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[System]:
    """The running system for the whole session."""
    admin = (
        os.environ.get("EMPORIUM_ADMIN_EMAIL", DEMO_ADMIN[0]),
        os.environ.get("EMPORIUM_ADMIN_PASSWORD", DEMO_ADMIN[1]),
    )
    base_url = os.environ.get("EMPORIUM_BASE_URL")
    if base_url:
        deployed = System(base_url, None, admin)
        await until_an_order_goes_through(deployed)
        yield deployed
        return
    extra_env = {"CATALOG_RESERVATION_TTL": "60", "ORDERS_CATALOG_TIMEOUT_SECONDS": "3"}
    async with booted_system(
        tmp_path_factory.mktemp("stack"), prefix="it", admin=admin, extra_env=extra_env
    ) as system:
        yield system


@pytest.fixture
async def gateway(system: System) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the gateway."""
    async with system.client() as client:
        yield client


@pytest.fixture
async def admin_token(system: System, gateway: httpx.AsyncClient) -> str:
    """An access token of the admin account (password grant through the gateway)."""
    return await sign_in(gateway, *system.admin)
