"""Password hashing runs on a bounded pool: a burst waits or is told to retry, never piles up."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from emporium.auth.passwords import PasswordHasher
from emporium.servicekit.errors import ServiceUnavailable


async def test_no_more_hashes_run_at_once_than_the_pool_allows() -> None:
    passwords = PasswordHasher(concurrency=2, queue=10)
    running = 0
    most = 0
    lock = threading.Lock()

    def slow_hash(password: str) -> str:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return password[::-1]

    results = await asyncio.gather(*(passwords._run(slow_hash, f"p{n}") for n in range(8)))
    assert results == [f"p{n}"[::-1] for n in range(8)]
    assert most == 2


async def test_a_burst_beyond_the_queue_gets_a_503_with_retry_after() -> None:
    passwords = PasswordHasher(concurrency=1, queue=1)
    outcomes = await asyncio.gather(
        *(passwords.hash(f"password-{n}") for n in range(3)), return_exceptions=True
    )
    refused = [o for o in outcomes if isinstance(o, ServiceUnavailable)]
    hashed = [o for o in outcomes if isinstance(o, str)]
    assert len(refused) == 1
    assert len(hashed) == 2
    assert refused[0].headers["Retry-After"] == "1"
    assert await passwords.verify("password-0", hashed[0])


@pytest.mark.parametrize("stored", [None, "not-a-hash-of-it"])
async def test_verify_is_false_for_a_missing_or_wrong_hash(stored: str | None) -> None:
    passwords = PasswordHasher(concurrency=1, queue=0)
    good = await passwords.hash("right-password")
    assert await passwords.verify("right-password", good)
    if stored is None:
        assert not await passwords.verify("right-password", None)
    else:
        assert not await passwords.verify("right-password", await passwords.hash(stored))
