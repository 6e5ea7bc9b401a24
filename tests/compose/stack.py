"""The compose stack under test, driven through the compose CLI that `make test-compose` names."""

from __future__ import annotations

import asyncio
import os
import shlex
import time
from dataclasses import dataclass

import httpx

from tests.deploy.parts import ROOT

COMPOSE_ENV = "EMPORIUM_COMPOSE"
"""The compose command line (e.g. `docker compose`); set by `make test-compose`."""


@dataclass(frozen=True)
class Finished:
    """A finished compose command: its exit status and output."""

    argv: list[str]
    returncode: int
    stdout: str
    stderr: str

    def check(self) -> Finished:
        """This result, or an AssertionError that shows the command and its output."""
        assert self.returncode == 0, (
            f"{shlex.join(self.argv)} exited {self.returncode}:\n{self.stdout}\n{self.stderr}"
        )
        return self


class ComposeStack:
    """The project's compose stack: run compose commands in the project directory."""

    def __init__(self, command: list[str]) -> None:
        self.command = command

    @classmethod
    def from_env(cls) -> ComposeStack:
        """The stack named by EMPORIUM_COMPOSE."""
        return cls(shlex.split(os.environ[COMPOSE_ENV]))

    async def run(self, *args: str, timeout: float = 300.0) -> Finished:
        """Run `compose args...` from the project root and wait for it."""
        argv = [*self.command, *args]
        proc = await asyncio.create_subprocess_exec(
            *argv,
            cwd=ROOT,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            async with asyncio.timeout(timeout):
                out, err = await proc.communicate()
        except TimeoutError:
            proc.kill()
            await proc.wait()
            raise AssertionError(f"{shlex.join(argv)} did not finish in {timeout}s") from None
        assert proc.returncode is not None
        return Finished(argv, proc.returncode, out.decode(), err.decode())

    async def main_process(self, service: str) -> tuple[str, str]:
        """Which container runs the service (its host name), and when its main process started.

        Docker and Podman name a container's host after its id, so a recreated container has
        another; a restarted one keeps it, but its process 1 starts anew (field 22 of
        /proc/1/stat). Only `exec` is used: every compose CLI has it, unlike `ps` formats.
        """
        read = "exec", "-T", service, "cat"
        host = (await self.run(*read, "/etc/hostname")).check().stdout.strip()
        stat = (await self.run(*read, "/proc/1/stat")).check().stdout
        # The command name (field 2) may hold spaces; the fields after its ')' do not.
        return host, stat.rsplit(")", 1)[1].split()[19]

    async def logs(self, service: str) -> str:
        """Everything a service's container printed."""
        finished = (await self.run("logs", "--no-color", "--no-log-prefix", service)).check()
        return finished.stdout + finished.stderr


async def wait_until_ready(gateway: httpx.AsyncClient, timeout: float) -> None:
    """Poll the gateway's /readyz until it answers 200 (every part and database ready)."""
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        try:
            response = await gateway.get("/readyz", timeout=5.0)
        except httpx.TransportError as exc:
            last = repr(exc)
        else:
            if response.status_code == 200:
                return
            last = f"{response.status_code} {response.text}"
        await asyncio.sleep(1.0)
    raise AssertionError(f"the gateway was not ready within {timeout}s: {last}")
