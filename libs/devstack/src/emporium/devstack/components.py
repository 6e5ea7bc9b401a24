"""The parts of the system the runner starts, in start order."""

from __future__ import annotations

import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Component:
    """One runnable part: its package, default port and whether it owns a database."""

    name: str
    port: int
    has_database: bool
    path_prefixes: tuple[str, ...]
    server_options: tuple[str, ...] = ()

    @property
    def env_prefix(self) -> str:
        """The settings env prefix, e.g. `CATALOG_`."""
        return f"{self.name.upper()}_"

    @property
    def package(self) -> str:
        """The Python package, e.g. `emporium.catalog`."""
        return f"emporium.{self.name}"

    def command(self, host: str, port: int) -> list[str]:
        """The command that serves this part on host:port."""
        return [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            f"{self.package}.main:create_app",
            "--host",
            host,
            "--port",
            str(port),
            "--no-access-log",
            "--no-server-header",
            "--timeout-graceful-shutdown",
            "5",
            *self.server_options,
        ]

    def migrate_command(self) -> list[str]:
        """The command that applies this part's migrations."""
        return [sys.executable, "-m", f"{self.package}.migrate", "upgrade", "head"]


AUTH = Component("auth", 8001, True, ("/auth", "/.well-known"))
CATALOG = Component("catalog", 8002, True, ("/catalog",))
ORDERS = Component("orders", 8003, True, ("/orders",))
# The edge's own HTTP protocol: a deadline for request headers and a connection cap.
GATEWAY_HTTP = "--http=emporium.gateway.server:GatewayHttpProtocol"
GATEWAY = Component("gateway", 8000, False, (), (GATEWAY_HTTP,))

SERVICES: tuple[Component, ...] = (AUTH, CATALOG, ORDERS)
COMPONENTS: tuple[Component, ...] = (*SERVICES, GATEWAY)
