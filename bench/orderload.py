"""Load for `bench.orders`: customers placing orders, closed loop and open loop, and samples."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import aiohttp

Attempt = Callable[[int], Awaitable[int]]
"""Place one order for the n-th request; return the HTTP status (or a pseudo status)."""

TRANSPORT_ERROR = 599  # no HTTP answer at all (connection refused, timeout)


@dataclass
class Customer:
    """A registered account, its bearer token and the loopback address it connects from."""

    email: str
    token: str
    session: aiohttp.ClientSession


@dataclass
class Sample:
    """What one run produced: statuses, latencies (ms) of 201s, wall time."""

    seconds: float = 0.0
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)

    @property
    def created_per_second(self) -> float:
        """201 answers per second."""
        return self.statuses[201] / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Latency percentile in ms over the 201 answers (nan when none)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))]

    def breakdown(self) -> str:
        """Statuses per second, e.g. `201: 50.1, 429: 3.2`."""
        return ", ".join(
            f"{status}: {count / self.seconds:.1f}"
            for status, count in sorted(self.statuses.items())
        )


@dataclass(frozen=True)
class Mix:
    """Which products an order takes: 1-3 lines over many products, or the one hot product."""

    products: Sequence[uuid.UUID]
    hot: uuid.UUID | None = None

    def lines(self, rng: random.Random) -> list[dict[str, object]]:
        """The items of one order."""
        if self.hot is not None:
            return [{"product_id": str(self.hot), "quantity": 1}]
        chosen = rng.sample(self.products, rng.randint(1, 3))
        return [{"product_id": str(p), "quantity": rng.randint(1, 3)} for p in chosen]


def http_orders(base_url: str, customers: Sequence[Customer], mix: Mix, seed: int) -> Attempt:
    """An attempt that posts a fresh order (fresh Idempotency-Key) as the n-th customer."""
    rng = random.Random(seed)  # noqa: S311 - load shapes, not secrets
    url = f"{base_url}/orders"

    async def attempt(n: int) -> int:
        customer = customers[n % len(customers)]
        headers = {
            "Authorization": f"Bearer {customer.token}",
            "Idempotency-Key": uuid.uuid4().hex,
        }
        try:
            async with customer.session.post(
                url, json={"items": mix.lines(rng)}, headers=headers
            ) as response:
                await response.read()
                return response.status
        except (aiohttp.ClientError, TimeoutError):
            return TRANSPORT_ERROR

    return attempt


async def closed_loop(attempt: Attempt, concurrency: int, seconds: float) -> Sample:
    """`concurrency` workers, each placing its next order as soon as the last is answered."""
    sample = Sample()
    counter = iter(range(10**9))
    start = time.perf_counter()
    deadline = start + seconds

    async def worker() -> None:
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            status = await attempt(next(counter))
            sample.statuses[status] += 1
            if status == 201:
                sample.latencies.append((time.perf_counter() - began) * 1000)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    sample.seconds = time.perf_counter() - start
    return sample


async def open_loop(attempt: Attempt, rate: float, seconds: float, cap: int = 512) -> Sample:
    """Orders arriving at a fixed `rate` per second whatever the answers take.

    Latency counts from the scheduled arrival, so a backlog shows (no coordinated omission);
    arrivals beyond `cap` in flight are counted as status 0 (shed by the load generator).
    """
    sample = Sample()
    in_flight: set[asyncio.Task[None]] = set()
    start = time.perf_counter()
    total = int(rate * seconds)

    async def one(n: int, scheduled: float) -> None:
        status = await attempt(n)
        sample.statuses[status] += 1
        if status == 201:
            sample.latencies.append((time.perf_counter() - scheduled) * 1000)

    for n in range(total):
        scheduled = start + n / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if len(in_flight) >= cap:
            sample.statuses[0] += 1
            continue
        task = asyncio.create_task(one(n, scheduled))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    if in_flight:
        await asyncio.wait(in_flight)
    sample.seconds = seconds
    return sample
