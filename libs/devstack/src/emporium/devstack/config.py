"""How a stack is laid out: its data folder, ports, databases, accounts and extra settings."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from emporium.devstack.components import COMPONENTS, GATEWAY

DEMO_ADMIN = ("admin@example.com", "admin-demo-password")
DEMO_CUSTOMER = ("customer@example.com", "customer-demo-password", "Demo Customer")


@dataclass
class StackConfig:
    """Where the stack keeps its data, which ports it uses and which database it talks to."""

    data_dir: Path
    postgres_dir: Path | None = None
    """Where the embedded server keeps its data; `data_dir/postgres` when not set."""
    host: str = "127.0.0.1"
    ports: dict[str, int] = field(default_factory=lambda: {c.name: c.port for c in COMPONENTS})
    database_server_url: str | None = None
    database_urls: dict[str, str] = field(default_factory=dict)
    database_prefix: str = ""
    admin: tuple[str, str] = DEMO_ADMIN
    seed_demo_data: bool | None = None
    ready_timeout: float = 60.0
    extra_env: dict[str, str] = field(default_factory=dict)
    gateway_routes: dict[str, str] = field(default_factory=dict)
    """URLs the gateway reaches some parts at instead of their own (e.g. a proxy in front)."""

    @classmethod
    def from_environ(cls, data_dir: Path, environ: Mapping[str, str] = os.environ) -> StackConfig:
        """Defaults plus `DATABASE_URL`, `<SERVICE>_DATABASE_URL` and `EMPORIUM_<PART>_PORT`."""
        config = cls(data_dir=data_dir, database_server_url=environ.get("DATABASE_URL") or None)
        for component in COMPONENTS:
            port = environ.get(f"EMPORIUM_{component.name.upper()}_PORT")
            if port:
                config.ports[component.name] = int(port)
            url = environ.get(f"{component.env_prefix}DATABASE_URL")
            if url and component.has_database:
                config.database_urls[component.name] = url
        return config

    def url(self, name: str) -> str:
        """The local base URL of a part."""
        return f"http://{self.host}:{self.ports[name]}"

    @property
    def public_url(self) -> str:
        """The URL people and tokens use: the gateway."""
        return f"http://localhost:{self.ports[GATEWAY.name]}"
