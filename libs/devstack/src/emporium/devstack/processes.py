"""Child processes of the stack: start, wait until ready, stop cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx


class ProcessFailed(Exception):
    """A child exited or did not become ready; the message carries its log tail."""


class ManagedProcess:
    """One child process whose output goes to a log file."""

    def __init__(
        self, name: str, command: Sequence[str], env: Mapping[str, str], log_path: Path
    ) -> None:
        self.name = name
        self.command = list(command)
        self.env = dict(env)
        self.log_path = log_path
        self._proc: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int | None:
        """The child's process id while it has one."""
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        """True while the child has not exited."""
        return self._proc is not None and self._proc.returncode is None

    async def start(self) -> None:
        """Start the child in its own session so a terminal Ctrl-C reaches only the runner."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._proc = await asyncio.create_subprocess_exec(
                *self.command,
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )

    async def wait_ready(self, url: str, timeout: float) -> float:
        """Poll `url` until it answers 200; return the seconds it took."""
        start = time.monotonic()
        deadline = start + timeout
        async with httpx.AsyncClient(timeout=2.0) as client:
            while True:
                if not self.running:
                    raise ProcessFailed(f"{self.name} exited early:\n{self.log_tail()}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(url)).status_code == 200:
                        return time.monotonic() - start
                if time.monotonic() > deadline:
                    raise ProcessFailed(
                        f"{self.name} not ready after {timeout:.0f}s:\n{self.log_tail()}"
                    )
                await asyncio.sleep(0.1)

    async def stop(self, grace: float = 10.0) -> None:
        """SIGTERM, then SIGKILL after `grace` seconds; safe to call twice."""
        proc = self._proc
        if proc is None or proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), grace)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()

    async def kill(self) -> None:
        """SIGKILL at once, like a crash or an OOM kill: no shutdown code runs."""
        proc = self._proc
        if proc is None or proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        await proc.wait()

    def pause(self) -> None:
        """SIGSTOP: the child freezes (its sockets stay open, nothing answers)."""
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        """SIGCONT: a paused child carries on where it froze."""
        self._signal(signal.SIGCONT)

    def _signal(self, signum: signal.Signals) -> None:
        if self._proc is None or self._proc.returncode is not None:
            raise ProcessFailed(f"{self.name} is not running")
        os.killpg(self._proc.pid, signum)

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the child's log."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


async def run_once(command: Sequence[str], env: Mapping[str, str], what: str) -> None:
    """Run a one-shot command; raise ProcessFailed with its output if it fails."""
    proc = await asyncio.create_subprocess_exec(
        *command,
        env=dict(env),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await proc.communicate()
    if proc.returncode != 0:
        raise ProcessFailed(
            f"{what} failed (exit {proc.returncode}):\n{output.decode(errors='replace')[-3000:]}"
        )
