"""A steady order load: customers who retry one Idempotency-Key until a definitive answer."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

PROBLEM_PREFIX = "urn:emporium:problem:"
# Answers a well-behaved client waits out and retries with the same key.
RETRY_PROBLEMS = frozenset({"idempotency-key-in-progress"})


@dataclass(frozen=True, slots=True)
class Answer:
    """One response (or the lack of one) to one try."""

    status: int | None
    """None: no HTTP answer (connection refused or cut, or the client's timeout)."""
    problem: str | None
    retry_after: str | None
    sent_at: float
    at: float
    error: str | None = None
    order_id: str | None = None

    @property
    def definitive(self) -> bool:
        """200/201, or a 4xx that says retrying cannot change it (e.g. out of stock)."""
        if self.status in (200, 201):
            return True
        return self.status in (409, 422) and self.problem not in RETRY_PROBLEMS

    def acceptable(self, *, gateway_down: bool) -> bool:
        """201, a documented 4xx, or a 503/504 problem with Retry-After (never a 500)."""
        if self.status is None:
            return gateway_down and self.error != "timeout"
        if self.status in (200, 201, 409, 429):
            return True
        return self.status in (503, 504) and self.retry_after is not None

    def describe(self) -> str:
        """A short human description for assertion messages."""
        what = self.error if self.status is None else f"{self.status} {self.problem}"
        return f"{what} after {self.at - self.sent_at:.1f}s"


@dataclass(slots=True)
class Purchase:
    """One order a customer means to place, and every answer its key got."""

    customer: int
    key: str
    lines: list[tuple[str, int]]
    answers: list[Answer] = field(default_factory=list)
    order_id: str | None = None
    cancel_answers: list[Answer] = field(default_factory=list)
    """Answers to cancelling the order, when the customer cancelled it."""

    @property
    def outcome(self) -> str:
        """`confirmed`, `rejected` (a definitive 4xx) or `unresolved` (gave up waiting)."""
        last = self.answers[-1] if self.answers else None
        if last is None or not last.definitive:
            return "unresolved"
        return "confirmed" if last.status == 201 else "rejected"

    @property
    def cancelled(self) -> bool:
        """The customer was told the order is cancelled (a 200, or a 409 from cancelled)."""
        return any(
            a.status == 200 or (a.status == 409 and a.problem == "invalid-transition")
            for a in self.cancel_answers
        )

    def all_answers(self) -> list[Answer]:
        """Every answer to placing and to cancelling."""
        return [*self.answers, *self.cancel_answers]


@dataclass(frozen=True, slots=True)
class Customer:
    """A signed-in customer: account id and access token."""

    user_id: str
    token: str


class OrderLoad:
    """Customers ordering in a loop until told to stop; each finishes the key it holds."""

    def __init__(
        self,
        base_url: str,
        customers: list[Customer],
        products: list[str],
        *,
        client_timeout: float,
        max_backoff: float = 2.0,
        give_up_after: float = 40.0,
        one_each: bool = False,
        quantity: int | None = None,
        cancel_every: int = 0,
    ) -> None:
        self.base_url = base_url
        self.customers = customers
        self.products = products
        self.client_timeout = client_timeout
        self.max_backoff = max_backoff
        self.give_up_after = give_up_after
        self.one_each = one_each
        self.quantity = quantity
        self.cancel_every = cancel_every
        """Cancel every n-th confirmed order of each customer (0: never)."""
        self.purchases: list[Purchase] = []

    async def run(self, stop: asyncio.Event) -> None:
        """Order until `stop` is set, then let every held key reach its answer (bounded)."""
        # Idle connections are dropped well before the gateway's 5 s keep-alive closes them:
        # a request sent on a connection the server is closing that instant gets no answer
        # (a ReadError), the keep-alive race every HTTP/1.1 client has to stay clear of.
        limits = httpx.Limits(max_connections=len(self.customers) + 8, keepalive_expiry=2.0)
        async with httpx.AsyncClient(
            base_url=self.base_url, timeout=self.client_timeout, limits=limits
        ) as client:
            await asyncio.gather(
                *(self._customer(client, i, c, stop) for i, c in enumerate(self.customers))
            )

    async def _customer(
        self, client: httpx.AsyncClient, index: int, customer: Customer, stop: asyncio.Event
    ) -> None:
        rng = random.Random(index)
        confirmed = 0
        while not stop.is_set():
            count = 1 if self.one_each or len(self.products) == 1 else rng.choice((1, 1, 2))
            chosen = rng.sample(self.products, count)
            purchase = Purchase(
                index,
                str(uuid.uuid4()),
                [(p, self.quantity or rng.randint(1, 3)) for p in chosen],
            )
            self.purchases.append(purchase)
            body = {"items": [{"product_id": p, "quantity": q} for p, q in purchase.lines]}
            headers = {
                "Authorization": f"Bearer {customer.token}",
                "Idempotency-Key": purchase.key,
            }
            await self._until_definitive(client, "/orders", body, headers, purchase.answers, stop)
            purchase.order_id = purchase.answers[-1].order_id
            if purchase.outcome == "confirmed":
                confirmed += 1
                if self.cancel_every and confirmed % self.cancel_every == 0:
                    await self._until_definitive(
                        client,
                        f"/orders/{purchase.order_id}/cancel",
                        None,
                        {"Authorization": f"Bearer {customer.token}"},
                        purchase.cancel_answers,
                        stop,
                    )
            if self.one_each:
                return

    async def _until_definitive(
        self,
        client: httpx.AsyncClient,
        path: str,
        body: dict[str, Any] | None,
        headers: dict[str, str],
        answers: list[Answer],
        stop: asyncio.Event,
    ) -> None:
        backoff = 0.1
        stopped_at: float | None = None
        while True:
            answer = await self._try(client, path, body, headers)
            answers.append(answer)
            if answer.definitive:
                return
            if stop.is_set():
                stopped_at = stopped_at or time.monotonic()
                if time.monotonic() - stopped_at > self.give_up_after:
                    return
            wait = backoff * (0.5 + random.random())
            if answer.retry_after and answer.retry_after.isdigit():
                wait = max(wait, min(float(answer.retry_after), self.max_backoff))
            await asyncio.sleep(wait)
            backoff = min(backoff * 2, self.max_backoff)

    async def _try(
        self,
        client: httpx.AsyncClient,
        path: str,
        body: dict[str, Any] | None,
        headers: dict[str, str],
    ) -> Answer:
        sent = time.monotonic()
        try:
            response = await client.post(path, json=body, headers=headers)
        except httpx.TimeoutException:
            return Answer(None, None, None, sent, time.monotonic(), "timeout")
        except httpx.TransportError as exc:
            cause = exc.__cause__ or exc.__context__
            detail = (
                f"{type(exc).__name__}({type(cause).__name__}: {cause})"
                if cause
                else type(exc).__name__
            )
            return Answer(None, None, None, sent, time.monotonic(), detail)
        at = time.monotonic()
        if response.status_code in (200, 201):
            order_id = str(response.json()["id"])
            return Answer(response.status_code, None, None, sent, at, order_id=order_id)
        problem = None
        if response.headers.get("content-type", "").startswith("application/problem+json"):
            problem = str(response.json().get("type", "")).removeprefix(PROBLEM_PREFIX)
        return Answer(response.status_code, problem, response.headers.get("Retry-After"), sent, at)

    def first_success_after(self, moment: float, *, or_refusal: bool = False) -> float | None:
        """Seconds from `moment` until the first 201 (or, with `or_refusal`, any definitive
        answer) to a request sent after it; None if none yet."""
        times = [
            a.at
            for p in self.purchases
            for a in p.answers
            if a.sent_at >= moment and (a.status == 201 or (or_refusal and a.definitive))
        ]
        return min(times) - moment if times else None

    def outcomes(self) -> Counter[str]:
        """How many purchases were confirmed, rejected, unresolved."""
        return Counter(p.outcome for p in self.purchases)

    def answer_counts(self) -> Counter[str]:
        """Every answer seen, by status and problem type."""
        return Counter(
            a.error or f"{a.status}{' ' + a.problem if a.problem else ''}"
            for p in self.purchases
            for a in p.all_answers()
        )
