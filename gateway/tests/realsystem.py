"""Real auth and catalog processes (migrated databases) behind a real gateway process."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from emporium.gateway.server import UVICORN_OPTION
from emporium.servicekit.testing import create_migrated_database, drop_test_database, new_rsa_pem

from .servers import ServerProcess, free_port, uvicorn_command


@dataclass
class RealSystem:
    """The gateway in front of real services; orders is deliberately absent (down)."""

    gateway: ServerProcess
    auth: ServerProcess
    catalog: ServerProcess
    admin_email: str
    admin_password: str
    public_url: str

    @property
    def url(self) -> str:
        """The gateway's base URL."""
        return self.gateway.url


async def boot_real_system(postgres_server_url: str, log_dir: Path) -> AsyncIterator[RealSystem]:
    """Migrate fresh databases, start auth and catalog, then the gateway; stop them after."""
    # One after the other: alembic's module-level context is not safe across threads.
    auth_db = await create_migrated_database(postgres_server_url, "emporium.auth", "gw_auth")
    catalog_db = await create_migrated_database(
        postgres_server_url, "emporium.catalog", "gw_catalog"
    )
    ports = {name: free_port() for name in ("gateway", "auth", "catalog", "orders")}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    admin = (f"admin-{uuid.uuid4().hex[:8]}@example.com", f"pw-{uuid.uuid4().hex}")
    common = {
        "ENVIRONMENT": "test",
        "LOG_JSON": "false",
        "JWKS_URL": f"{urls['auth']}/.well-known/jwks.json",
    }

    def env(prefix: str, **values: str) -> dict[str, str]:
        return {f"{prefix}_{k}": v for k, v in {**common, **values}.items()}

    auth = ServerProcess(
        "real-auth",
        uvicorn_command("emporium.auth.main:create_app", ports["auth"], factory=True),
        ports["auth"],
        env(
            "AUTH",
            DATABASE_URL=auth_db,
            SIGNING_KEYS=json.dumps([new_rsa_pem().decode()]),
            ADMIN_EMAIL=admin[0],
            ADMIN_PASSWORD=admin[1],
        ),
        log_dir,
    )
    catalog = ServerProcess(
        "real-catalog",
        uvicorn_command("emporium.catalog.main:create_app", ports["catalog"], factory=True),
        ports["catalog"],
        env("CATALOG", DATABASE_URL=catalog_db),
        log_dir,
    )
    upstreams = [
        {"name": "auth", "url": urls["auth"], "prefixes": ["/auth", "/.well-known"]},
        {"name": "catalog", "url": urls["catalog"], "prefixes": ["/catalog"]},
        {"name": "orders", "url": urls["orders"], "prefixes": ["/orders"]},
    ]
    gateway = ServerProcess(
        "real-gateway",
        [
            *uvicorn_command("emporium.gateway.main:create_app", ports["gateway"], factory=True),
            UVICORN_OPTION,
        ],
        ports["gateway"],
        # Configured under another host name than `url` (127.0.0.1) on purpose: the docs must
        # work at whatever address they are opened with.
        env(
            "GATEWAY",
            UPSTREAMS=json.dumps(upstreams),
            TOKEN_RATE_LIMIT_BURST="1000",
            PUBLIC_URL=f"http://localhost:{ports['gateway']}",
        ),
        log_dir,
    )
    try:
        await asyncio.gather(auth.start("/readyz"), catalog.start("/readyz"))
        await gateway.start()
        yield RealSystem(gateway, auth, catalog, *admin, f"http://localhost:{ports['gateway']}")
    finally:
        await gateway.stop()
        await asyncio.gather(auth.stop(), catalog.stop())
        await asyncio.gather(drop_test_database(auth_db), drop_test_database(catalog_db))
