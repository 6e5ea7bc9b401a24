"""The cross-service suite: boots the whole system like `make run`, or uses EMPORIUM_BASE_URL."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from emporium.devstack import Stack, StackConfig
from emporium.devstack.components import COMPONENTS
from emporium.devstack.ports import free_port
from emporium.devstack.stack import DEMO_ADMIN
from emporium.servicekit.testing import embedded_postgres_folder
from tests.system import System


@pytest.fixture(scope="session")
async def system(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[System]:
    """The running system for the whole session."""
    admin = (
        os.environ.get("EMPORIUM_ADMIN_EMAIL", DEMO_ADMIN[0]),
        os.environ.get("EMPORIUM_ADMIN_PASSWORD", DEMO_ADMIN[1]),
    )
    base_url = os.environ.get("EMPORIUM_BASE_URL")
    if base_url:
        yield System(base_url, None, admin)
        return
    with embedded_postgres_folder() as postgres_folder:
        config = StackConfig(
            data_dir=tmp_path_factory.mktemp("stack"),
            postgres_dir=postgres_folder,
            ports={c.name: free_port() for c in COMPONENTS},
            database_server_url=os.environ.get("EMPORIUM_TEST_DATABASE_URL")
            or os.environ.get("DATABASE_URL"),
            database_prefix=f"it_{uuid.uuid4().hex[:8]}_",
            seed_demo_data=True,
            admin=admin,
            extra_env={
                "CATALOG_RESERVATION_TTL": "60",
                "ORDERS_CATALOG_TIMEOUT_SECONDS": "3",
                # Every test customer registers from this one address; auth's own tests
                # prove the per-address registration ration.
                "AUTH_REGISTRATIONS_FREE_PER_ADDRESS": "1000",
            },
        )
        stack = Stack(config, report=lambda message: None)
        try:
            await stack.start()
            yield System(config.public_url.replace("localhost", config.host), stack, admin)
        finally:
            await stack.stop()


@pytest.fixture
async def gateway(system: System) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the gateway."""
    async with httpx.AsyncClient(base_url=system.base_url, timeout=20.0) as client:
        yield client


@pytest.fixture
async def admin_token(system: System, gateway: httpx.AsyncClient) -> str:
    """An access token of the admin account (password grant through the gateway)."""
    email, password = system.admin
    response = await gateway.post(
        "/auth/token", data={"grant_type": "password", "username": email, "password": password}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])
