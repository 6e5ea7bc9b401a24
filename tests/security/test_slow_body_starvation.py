"""API4 (unrestricted resource consumption): slow uploads cannot starve the edge.

Many connections each announce a large body and send a few bytes of it. The gateway reads a
body whole, within its deadline, before it takes an upstream connection: legitimate sign-ins
and key fetches stay fast while the slow ones are held, and each slow one is answered `408`
within the body deadline (`GATEWAY_BODY_TIMEOUT_SECONDS`, 10 s by default).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import statistics
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pytest

from tests.system import System

pytestmark = pytest.mark.slow

# Loopback holds all of 127/8: distinct client addresses for the attack and for legitimate
# traffic, each with limits of its own and none used by other tests.
ATTACKERS = ("127.31.0.1", "127.31.0.2", "127.31.0.3")
LEGIT = "127.31.1.1"
PER_ADDRESS = {"/orders": 45, "/auth/token": 15}  # under the per-address caps and buckets
BODY_DEADLINE = 10.0  # the gateway's default body timeout
SLACK = 6.0  # a shared, busy test machine
LEGIT_BOUND = 3.0  # each legitimate request while the attack is held (argon2 on a busy host)


@dataclass
class SlowUpload:
    """One connection that announces a 200 kB body and sends a few bytes of it."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    started: float


async def start_slow_upload(host: str, port: int, source: str, path: str) -> SlowUpload:
    """Connect from `source`, send the headers and a few bytes of the body, then stall."""
    reader, writer = await asyncio.open_connection(host, port, local_addr=(source, 0))
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200000\r\n\r\n"
        "grant_type=pass".encode()
    )
    await writer.drain()
    return SlowUpload(reader, writer, time.monotonic())


async def outcome(upload: SlowUpload, timeout: float) -> tuple[int, float]:
    """The status the gateway answered (0: closed without one) and when, in seconds."""
    data = b""
    with contextlib.suppress(ConnectionError, TimeoutError):
        data = await asyncio.wait_for(upload.reader.read(-1), timeout)
    elapsed = time.monotonic() - upload.started
    upload.writer.close()
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0
    return status, elapsed


async def legit_traffic(base_url: str, admin: tuple[str, str], seconds: float) -> list[float]:
    """Key fetches and password grants from another address; each one's latency."""
    transport = httpx.AsyncHTTPTransport(local_address=LEGIT)
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=base_url, transport=transport, timeout=15) as client:
        end = time.monotonic() + seconds
        grants = 0
        while time.monotonic() < end:
            start = time.monotonic()
            jwks = await client.get("/.well-known/jwks.json")
            latencies.append(time.monotonic() - start)
            assert jwks.status_code == 200, jwks.text
            if grants < 4:  # the token endpoint's bucket allows a burst of 20 per address
                start = time.monotonic()
                grant = await client.post(
                    "/auth/token",
                    data={"grant_type": "password", "username": admin[0], "password": admin[1]},
                )
                latencies.append(time.monotonic() - start)
                assert grant.status_code == 200, grant.text
                grants += 1
            await asyncio.sleep(0.2)
    return latencies


async def test_slow_uploads_do_not_starve_sign_in_and_are_cut_off(system: System) -> None:
    url = urlsplit(system.base_url)
    host, port = url.hostname or "", url.port or 80
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        pytest.skip("needs several client addresses: runs against a loopback gateway only")
    host = "127.0.0.1"
    base_url = f"http://{host}:{port}"

    uploads = await asyncio.gather(
        *(
            start_slow_upload(host, port, source, path)
            for source in ATTACKERS
            for path, count in PER_ADDRESS.items()
            for _ in range(count)
        )
    )
    await asyncio.sleep(0.5)
    assert not any(u.reader.at_eof() for u in uploads), "slow uploads were answered at once"

    latencies = await legit_traffic(base_url, system.admin, seconds=4.0)
    outcomes = await asyncio.gather(*(outcome(u, BODY_DEADLINE + SLACK) for u in uploads))

    assert max(latencies) < LEGIT_BOUND, sorted(latencies)
    assert statistics.median(latencies) < LEGIT_BOUND / 4, sorted(latencies)
    statuses = {status for status, _ in outcomes}
    assert statuses == {408}, statuses
    assert max(seconds for _, seconds in outcomes) < BODY_DEADLINE + SLACK
