"""Start and stop the whole system: PostgreSQL, migrations, services, gateway."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from emporium.devstack.components import COMPONENTS, GATEWAY, SERVICES, Component
from emporium.devstack.config import DEMO_CUSTOMER, StackConfig
from emporium.devstack.ports import port_is_free
from emporium.devstack.processes import ManagedProcess, ProcessFailed, run_once
from emporium.devstack.secrets import ensure_secret, ensure_signing_key
from emporium.servicekit.embedded_pg import (
    EmbeddedPostgres,
    database_url,
    ensure_database,
    wait_until_accepting,
)

Report = Callable[[str], None]


class StackError(Exception):
    """The stack could not start; the message says why in plain words."""


class Stack:
    """The running system; `start()` brings everything up, `stop()` takes it all down."""

    def __init__(self, config: StackConfig, report: Report = print) -> None:
        self.config = config
        self.report = report
        self.processes: dict[str, ManagedProcess] = {}
        self._postgres: EmbeddedPostgres | None = None
        self._db_urls: dict[str, str] = {}
        self._created: set[str] = set()
        self.server_url: str | None = None
        """The PostgreSQL server holding the databases (None when each has its own URL)."""

    @property
    def data_dir(self) -> Path:
        """The folder holding the database, keys and logs."""
        return self.config.data_dir

    def database_url(self, name: str) -> str:
        """The database URL a service was given."""
        return self._db_urls[name]

    async def start(self) -> None:
        """Bring up PostgreSQL, migrate, start services and the gateway, wait for each."""
        started = time.monotonic()
        self._check_ports()
        await self.prepare_databases()
        env = self._environments()
        for component in COMPONENTS:
            self.processes[component.name] = ManagedProcess(
                component.name,
                component.command(self.config.host, self.config.ports[component.name]),
                env[component.name],
                self.data_dir / "logs" / f"{component.name}.log",
            )
        self.report("starting auth, catalog, orders and gateway")
        await asyncio.gather(*(p.start() for p in self.processes.values()))
        await asyncio.gather(*(self._wait(c) for c in COMPONENTS))
        await self._seed_demo_customer()
        self.report(f"ready in {time.monotonic() - started:.1f}s")

    async def prepare_databases(self) -> None:
        """Start PostgreSQL if needed, create the databases, migrate, seed when new."""
        await self._start_database()
        try:
            await self._migrate()
            await self._seed_if_new()
        except ProcessFailed as exc:
            raise StackError(str(exc)) from exc

    async def stop(self) -> None:
        """Stop the gateway, the services and the embedded database (in that order)."""
        gateway = self.processes.get(GATEWAY.name)
        if gateway:
            await gateway.stop()
        await asyncio.gather(*(p.stop() for p in self.processes.values()))
        if self._postgres is not None:
            self.report("stopping PostgreSQL")
            await asyncio.to_thread(self._postgres.stop)
            self._postgres = None

    async def stop_service(self, name: str) -> None:
        """Stop one part (tests use this to check readiness and failure handling)."""
        await self.processes[name].stop()

    async def start_service(self, name: str) -> None:
        """Start a stopped part again and wait until it is ready."""
        component = next(c for c in COMPONENTS if c.name == name)
        await self.processes[name].start()
        await self._wait(component)

    async def kill_service(self, name: str) -> None:
        """Kill one part with SIGKILL (a crash: no graceful shutdown); start it again later."""
        await self.processes[name].kill()

    def pause_service(self, name: str) -> None:
        """Freeze one part (SIGSTOP): it keeps its connections but answers nothing."""
        self.processes[name].pause()

    def resume_service(self, name: str) -> None:
        """Let a frozen part carry on (SIGCONT)."""
        self.processes[name].resume()

    async def stop_database(self) -> None:
        """Stop the embedded PostgreSQL server (fast shutdown: sessions are cut)."""
        if self._postgres is None:
            raise StackError("the stack runs no embedded PostgreSQL (DATABASE_URL is set)")
        await asyncio.to_thread(self._postgres.stop)

    async def start_database(self) -> None:
        """Start the embedded PostgreSQL server again on the same data and socket."""
        if self._postgres is None:
            raise StackError("the stack runs no embedded PostgreSQL (DATABASE_URL is set)")
        server = await asyncio.to_thread(self._postgres.start)
        await wait_until_accepting(server)

    def _check_ports(self) -> None:
        taken = [
            f"{port} ({name})"
            for name, port in self.config.ports.items()
            if not port_is_free(self.config.host, port)
        ]
        if taken:
            raise StackError(
                f"port {', '.join(taken)} already in use on {self.config.host}: stop whatever "
                "listens there (maybe another `make run`) or choose other ports with "
                "EMPORIUM_<PART>_PORT, e.g. EMPORIUM_GATEWAY_PORT=9000"
            )

    async def _start_database(self) -> None:
        server = self.config.database_server_url
        needs_server = any(c.name not in self.config.database_urls for c in SERVICES)
        if server is None and needs_server:
            pg_dir = self.config.postgres_dir or self.data_dir / "postgres"
            self.report(f"starting embedded PostgreSQL (data in {pg_dir})")
            self._postgres = EmbeddedPostgres(pg_dir)
            try:
                server = await asyncio.to_thread(self._postgres.start)
            except Exception as exc:
                raise StackError(f"embedded PostgreSQL did not start: {exc}") from exc
        elif server is not None:
            self.report("using the PostgreSQL server named by DATABASE_URL")
        if server is not None:
            await wait_until_accepting(server)
        self.server_url = server
        for component in SERVICES:
            explicit = self.config.database_urls.get(component.name)
            if explicit:
                self._db_urls[component.name] = explicit
                continue
            assert server is not None
            name = f"{self.config.database_prefix}{component.name}"
            if await ensure_database(server, name):
                self._created.add(component.name)
                self.report(f"created database {name}")
            self._db_urls[component.name] = database_url(server, name)

    async def _migrate(self) -> None:
        self.report("applying migrations")
        env = self._environments()
        await asyncio.gather(
            *(run_once(c.migrate_command(), env[c.name], f"{c.name} migrations") for c in SERVICES)
        )

    async def _seed_if_new(self) -> None:
        marker = self.data_dir / "catalog-seeded"
        seed = self.config.seed_demo_data
        if seed is None:
            seed = "catalog" in self._created or not marker.exists()
        if seed:
            self.report("loading the demo catalog")
            env = self._environments()["catalog"]
            await run_once([sys.executable, "-m", "emporium.catalog.seed"], env, "catalog seed")
            marker.write_text("the demo catalog was loaded; `make seed` loads it again\n")

    async def _wait(self, component: Component) -> None:
        url = f"{self.config.url(component.name)}/readyz"
        try:
            seconds = await self.processes[component.name].wait_ready(
                url, self.config.ready_timeout
            )
        except ProcessFailed as exc:
            raise StackError(str(exc)) from exc
        self.report(f"{component.name} ready on {self.config.url(component.name)} ({seconds:.1f}s)")

    async def _seed_demo_customer(self) -> None:
        email, password, full_name = DEMO_CUSTOMER
        async with httpx.AsyncClient(base_url=self.config.url(GATEWAY.name), timeout=10) as client:
            response = await client.post(
                "/auth/register",
                json={"email": email, "password": password, "full_name": full_name},
            )
        if response.status_code != 202:  # the same answer whether or not it exists already
            self.report(
                f"could not create the demo customer: {response.status_code} {response.text[:200]}"
            )

    def _environments(self) -> dict[str, dict[str, str]]:
        cfg = self.config
        keys = self.data_dir / "keys"
        signing_key = ensure_signing_key(keys / "jwt-signing-key.pem")
        client_secret = ensure_secret(keys / "orders-client-secret")
        common = {
            "JWKS_URL": f"{cfg.url('auth')}/.well-known/jwks.json",
            "JWT_ISSUER": cfg.public_url,
            "ENVIRONMENT": "development",
        }
        specific: dict[str, dict[str, str]] = {
            "auth": {
                "SIGNING_KEY_FILES": json.dumps([str(signing_key)]),
                "CLIENTS": json.dumps(
                    {"orders": {"secret_file": str(client_secret), "scopes": ["catalog:reserve"]}}
                ),
                "ADMIN_EMAIL": cfg.admin[0],
                "ADMIN_PASSWORD": cfg.admin[1],
            },
            "catalog": {},
            "orders": {
                "GATEWAY_URL": cfg.url("gateway"),
                "CLIENT_ID": "orders",
                "CLIENT_SECRET_FILE": str(client_secret),
            },
            "gateway": {
                "UPSTREAMS": json.dumps(
                    [
                        {
                            "name": c.name,
                            "url": cfg.gateway_routes.get(c.name, cfg.url(c.name)),
                            "prefixes": list(c.path_prefixes),
                        }
                        for c in SERVICES
                    ]
                ),
            },
        }
        envs: dict[str, dict[str, str]] = {}
        for component in COMPONENTS:
            values = {**common, **specific[component.name]}
            if component.name in self._db_urls:
                values["DATABASE_URL"] = self._db_urls[component.name]
            env = dict(os.environ)
            env.update({f"{component.env_prefix}{k}": v for k, v in values.items()})
            env.update(cfg.extra_env)
            env.setdefault("PYTHONUNBUFFERED", "1")
            envs[component.name] = env
        return envs
