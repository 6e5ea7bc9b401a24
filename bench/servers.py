"""Starting the servers a benchmark measures: commands, child processes, readiness."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from emporium.devstack.components import GATEWAY_HTTP
from emporium.servicekit.testing import (
    create_migrated_database,
    drop_test_database,
    postgres_server,
)

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CATALOG_APP = "emporium.catalog.main:create_app"
GATEWAY_APP = "emporium.gateway.main:create_app"


async def sh(command: list[str], *, env: dict[str, str] | None = None, check: bool = True) -> None:
    """Run a command to completion off the event loop."""
    await asyncio.to_thread(
        subprocess.run, command, env=env, check=check, capture_output=True, cwd=ROOT
    )


class Processes:
    """Child processes of the benchmark, stopped together."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.children: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        """Start a child with its output in logs/<name>.log."""
        log = (self.logs / f"{name}.log").open("wb")
        self.children.append(
            subprocess.Popen(
                command,
                env={**os.environ, **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
        )

    def stop(self) -> None:
        """Terminate every child."""
        for child in self.children:
            child.terminate()
        for child in self.children:
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()


async def wait_ok(url: str, timeout: float = 60.0) -> None:
    """Poll until `url` answers 200."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=2) as client:
        while True:
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer 200 in {timeout}s")
            await asyncio.sleep(0.2)


def uvicorn(target: str, port: int, factory: bool = True) -> list[str]:
    """uvicorn, one worker, uvloop + httptools."""
    command = [PY, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port)]
    command += [
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    return [*command, "--factory"] if factory else command


def gateway_uvicorn(port: int) -> list[str]:
    """The gateway as its image and `make run` start it: on its own slow-client protocol."""
    command = uvicorn(GATEWAY_APP, port)
    at = command.index("--http")
    return [*command[:at], GATEWAY_HTTP, *command[at + 2 :]]


def granian(target: str, port: int) -> list[str]:
    """granian ASGI, one worker."""
    return [PY, "-m", "granian", "--interface", "asgi", "--factory", "--host", "127.0.0.1",
            "--port", str(port), "--workers", "1", "--loop", "uvloop", "--no-ws",
            "--log-level", "warning", target]  # fmt: skip


def workdir(prefix: str, *, world_readable: bool = False) -> Path:
    """A fresh scratch folder with a logs/ folder for the children's output."""
    base = Path(tempfile.mkdtemp(prefix=prefix))
    if world_readable:
        os.chmod(base, 0o755)  # noqa: S103 - nginx workers (nobody) read the static files
    (base / "logs").mkdir()
    return base


@asynccontextmanager
async def catalog_database(base: Path, name: str) -> AsyncIterator[str]:
    """A migrated, empty catalog database on an embedded server in base/pg, while the block runs."""
    with postgres_server(base / "pg") as server:
        db = await create_migrated_database(server, "emporium.catalog", name)
        try:
            yield db
        finally:
            await drop_test_database(db)


def catalog_env(database: str) -> dict[str, str]:
    """The catalog's settings in a benchmark: its database, production defaults."""
    return {"CATALOG_DATABASE_URL": database, "CATALOG_ENVIRONMENT": "production"}
