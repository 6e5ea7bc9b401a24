"""`make run`'s runner: ready message, data that survives a restart, clean Ctrl-C, busy ports."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import psutil
import pytest

from emporium.devstack.components import COMPONENTS
from emporium.devstack.ports import free_port

pytestmark = pytest.mark.slow

START_TIMEOUT = 120.0


def _runner_env(ports: dict[str, int]) -> dict[str, str]:
    env = dict(os.environ)
    for name, port in ports.items():
        env[f"EMPORIUM_{name.upper()}_PORT"] = str(port)
    # This test is about the embedded database the runner owns.
    env.pop("DATABASE_URL", None)
    return env


async def _start_runner(data_dir: Path, ports: dict[str, int]) -> asyncio.subprocess.Process:
    """`python -m emporium.devstack run` on these ports, its output piped to us."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "emporium.devstack",
        "run",
        "--data-dir",
        str(data_dir),
        env=_runner_env(ports),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


@asynccontextmanager
async def running(data_dir: Path, ports: dict[str, int]) -> AsyncIterator[list[str]]:
    """Start the runner, yield once it printed the portal URL, then Ctrl-C it."""
    proc = await _start_runner(data_dir, ports)
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        async with asyncio.timeout(START_TIMEOUT):
            while "Docs portal" not in "".join(lines):
                line = (await proc.stdout.readline()).decode()
                assert line, f"runner exited early:\n{''.join(lines)}"
                lines.append(line)
        yield lines
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGINT)
        rest, _ = await asyncio.wait_for(proc.communicate(), 60)
        lines.append(rest.decode())
        assert proc.returncode == 0, "".join(lines)


def _leftovers(data_dir: Path) -> list[str]:
    found = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if str(data_dir) in cmdline:
            found.append(f"{proc.info['pid']}: {cmdline}")
    return found


def _ports() -> dict[str, int]:
    return {c.name: free_port() for c in COMPONENTS}


async def test_run_prints_portal_keeps_data_and_stops_cleanly(tmp_path: Path) -> None:
    data_dir = tmp_path / "d"
    ports = _ports()
    gateway = f"http://127.0.0.1:{ports['gateway']}"
    email = f"runner-{uuid.uuid4().hex[:8]}@example.com"
    password = "a-long-enough-password"
    async with running(data_dir, ports) as lines:
        assert f"http://localhost:{ports['gateway']}/" in "".join(lines)
        async with httpx.AsyncClient(base_url=gateway, timeout=10) as client:
            ready = await client.get("/readyz")
            assert ready.json()["checks"] == {"auth": "ok", "catalog": "ok", "orders": "ok"}
            registered = await client.post(
                "/auth/register",
                json={"email": email, "password": password, "full_name": "Runner Test"},
            )
            assert registered.status_code == 202, registered.text
    assert _leftovers(data_dir) == []

    async with running(data_dir, ports) as lines:
        assert "loading the demo catalog" not in "".join(lines)
        async with httpx.AsyncClient(base_url=gateway, timeout=10) as client:
            token = await client.post(
                "/auth/token",
                data={"grant_type": "password", "username": email, "password": password},
            )
            assert token.status_code == 200, token.text
    assert _leftovers(data_dir) == []


async def test_busy_port_gets_a_clear_message(tmp_path: Path) -> None:
    ports = _ports()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", ports["catalog"]))
        busy.listen()
        proc = await _start_runner(tmp_path / "d", ports)
        output, _ = await asyncio.wait_for(proc.communicate(), 60)
    text = output.decode()
    assert proc.returncode == 1
    assert f"port {ports['catalog']} (catalog) already in use" in text
    assert "Traceback" not in text
