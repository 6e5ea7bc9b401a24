"""Real server processes on free ports for the gateway's tests (devstack runs them)."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from emporium.devstack.ports import free_port
from emporium.devstack.processes import ManagedProcess, ProcessFailed

__all__ = ["TESTS_DIR", "ServerProcess", "SilentServer", "free_port", "uvicorn_command"]

TESTS_DIR = Path(__file__).resolve().parent


def uvicorn_command(
    target: str, port: int, *, factory: bool = False, app_dir: Path | None = None
) -> list[str]:
    """The command line that serves `target` ('module:attr') with uvicorn on `port`."""
    command = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--no-access-log", "--log-level", "warning", "--timeout-graceful-shutdown", "2"]
    if factory:
        command.append("--factory")
    if app_dir is not None:
        command += ["--app-dir", str(app_dir)]
    return command


class ServerProcess:
    """One real server on `port`: devstack's managed process, with the URL tests talk to."""

    def __init__(
        self, name: str, command: Sequence[str], port: int, env: Mapping[str, str], log_dir: Path
    ) -> None:
        self.name = name
        self.port = port
        self._process = ManagedProcess(
            name, command, {**os.environ, "PYTHONUNBUFFERED": "1", **env}, log_dir / f"{name}.log"
        )

    @property
    def url(self) -> str:
        """Base URL of the server."""
        return f"http://127.0.0.1:{self.port}"

    async def start(self, ready_path: str = "/healthz", timeout: float = 30.0) -> ServerProcess:
        """Start the process and wait until `ready_path` answers 200."""
        await self._process.start()
        try:
            await self._process.wait_ready(self.url + ready_path, timeout)
        except ProcessFailed:
            await self.stop()
            raise
        return self

    async def stop(self) -> None:
        """SIGTERM the process group, SIGKILL after a grace period."""
        await self._process.stop(grace=5.0)

    def log_tail(self, lines: int = 40) -> str:
        """The end of the process's log."""
        return self._process.log_tail(lines)


class SilentServer:
    """Accepts TCP connections and never answers (a hung upstream)."""

    def __init__(self) -> None:
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []
        self.port = 0

    async def __aenter__(self) -> SilentServer:
        async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self._writers.append(writer)

        self._server = await asyncio.start_server(hold, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def __aexit__(self, *exc: object) -> None:
        for writer in self._writers:
            writer.close()
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    @property
    def url(self) -> str:
        """Base URL of the server."""
        return f"http://127.0.0.1:{self.port}"
