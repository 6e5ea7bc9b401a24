"""The system under test, booted by the suite or reached at EMPORIUM_BASE_URL."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from emporium.devstack import Stack, StackConfig
from emporium.devstack.components import COMPONENTS
from emporium.devstack.config import DEMO_ADMIN
from emporium.devstack.ports import free_port
from emporium.servicekit.testing import embedded_postgres_folder


class System:
    """The system under test: booted here (local) or already deployed (EMPORIUM_BASE_URL)."""

    def __init__(self, base_url: str, stack: Stack | None, admin: tuple[str, str]) -> None:
        self.base_url = base_url.rstrip("/")
        self.stack = stack
        self.admin = admin

    def client(self, headers: Mapping[str, str] | None = None) -> httpx.AsyncClient:
        """A new HTTP client of the gateway (use it in `async with`)."""
        return httpx.AsyncClient(base_url=self.base_url, timeout=20.0, headers=headers)

    @property
    def is_local(self) -> bool:
        """True when this suite booted the system and may stop parts of it."""
        return self.stack is not None

    def _local(self) -> Stack:
        if self.stack is None:
            pytest.skip("needs a system booted by the suite (EMPORIUM_BASE_URL is set)")
        return self.stack

    def service_url(self, name: str) -> str:
        """Direct URL of one part (local only)."""
        return self._local().config.url(name)

    def database_url(self, name: str) -> str:
        """Database URL of one service (local only)."""
        return self._local().database_url(name)

    def log_path(self, name: str) -> Path:
        """Log file of one part (local only)."""
        return self._local().data_dir / "logs" / f"{name}.log"

    def key_path(self, name: str) -> Path:
        """A file of the system's generated keys and secrets (local only)."""
        return self._local().data_dir / "keys" / name

    async def stop_service(self, name: str) -> None:
        """Stop one part (local only)."""
        await self._local().stop_service(name)

    async def start_service(self, name: str) -> None:
        """Start one stopped part again and wait until it is ready (local only)."""
        await self._local().start_service(name)

    async def kill_service(self, name: str) -> None:
        """Kill one part with SIGKILL, like a crash (local only)."""
        await self._local().kill_service(name)

    def pause_service(self, name: str) -> None:
        """Freeze one part with SIGSTOP (local only)."""
        self._local().pause_service(name)

    def resume_service(self, name: str) -> None:
        """Let a frozen part carry on with SIGCONT (local only)."""
        self._local().resume_service(name)

    async def stop_database(self) -> None:
        """Stop the embedded PostgreSQL server (local only)."""
        await self._local().stop_database()

    async def start_database(self) -> None:
        """Start the embedded PostgreSQL server again (local only)."""
        await self._local().start_database()


@asynccontextmanager
async def booted_system(
    data_dir: Path,
    *,
    prefix: str,
    admin: tuple[str, str],
    extra_env: Mapping[str, str],
    ports: Mapping[str, int] | None = None,
    gateway_routes: Mapping[str, str] | None = None,
) -> AsyncIterator[System]:
    """The whole system, booted like `make run` on free ports with databases of its own.

    `ports` fixes some parts' ports; `gateway_routes` sends the gateway's traffic for some
    parts elsewhere (e.g. through a proxy that injects faults).
    """
    with embedded_postgres_folder() as postgres_folder:
        config = StackConfig(
            data_dir=data_dir,
            postgres_dir=postgres_folder,
            ports={c.name: (ports or {}).get(c.name) or free_port() for c in COMPONENTS},
            database_server_url=os.environ.get("EMPORIUM_TEST_DATABASE_URL")
            or os.environ.get("DATABASE_URL"),
            database_prefix=f"{prefix}_{uuid.uuid4().hex[:8]}_",
            seed_demo_data=True,
            admin=admin,
            extra_env=dict(extra_env),
            gateway_routes=dict(gateway_routes or {}),
        )
        stack = Stack(config, report=lambda message: None)
        try:
            await stack.start()
            yield System(config.url("gateway"), stack, admin)
        finally:
            await stack.stop()


@asynccontextmanager
async def system_of_its_own(
    data_dir: Path,
    *,
    prefix: str,
    why: str,
    extra_env: Mapping[str, str],
    ports: Mapping[str, int] | None = None,
    gateway_routes: Mapping[str, str] | None = None,
) -> AsyncIterator[System]:
    """A system booted for one suite alone, with the demo admin.

    Such a suite never runs against a deployment: with EMPORIUM_BASE_URL set it is skipped,
    `why` saying why.
    """
    if os.environ.get("EMPORIUM_BASE_URL"):
        pytest.skip(why)
    async with booted_system(
        data_dir,
        prefix=prefix,
        admin=DEMO_ADMIN,
        extra_env=extra_env,
        ports=ports,
        gateway_routes=gateway_routes,
    ) as system:
        yield system
