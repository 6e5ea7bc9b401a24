"""Calls to other services: timeouts, safe retries, a circuit breaker and token handling.

Failures come back as servicekit domain errors, so a route that calls another service
needs no error handling of its own: unreachable, slow, failing or circuit-open upstreams
become `ServiceUnavailable` (503 with `Retry-After`), and an upstream problem+json answer
becomes the domain error of the same meaning with the upstream's extra members kept.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections.abc import Callable, Mapping
from typing import Any

import aiohttp
import httpx
from fastapi import Request

from emporium.servicekit.client_credentials import ClientCredentials
from emporium.servicekit.errors import (
    BadGateway,
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    ServiceUnavailable,
    TooManyRequests,
)
from emporium.servicekit.problems import PROBLEM_TYPE_PREFIX

logger = logging.getLogger("emporium.service_client")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_STATUSES = frozenset({502, 503, 504})
_PROBLEM_MEMBERS = frozenset({"type", "title", "status", "detail", "instance", "request_id"})
_BY_STATUS: dict[int, type[DomainError]] = {
    404: NotFound,
    409: Conflict,
    410: NotFound,
    412: PreconditionFailed,
    422: InvalidInput,
    429: TooManyRequests,
}


class NotDelivered(ServiceUnavailable):
    """The request never reached the upstream (unreachable, no token, circuit open): it did
    nothing, so the caller need not compensate. Any other `ServiceUnavailable` may have."""


class CircuitOpen(NotDelivered):
    """The circuit breaker is open: the upstream failed repeatedly and is not called."""


# Raised by httpx's own transport before a byte of the request left this process.
_UNSENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


# The gateway's problem types for a request it did not forward (no connection to the
# service, or its circuit is open): the service did nothing.
_NOT_FORWARDED = frozenset(
    f"{PROBLEM_TYPE_PREFIX}{slug}" for slug in ("upstream-unreachable", "upstream-unavailable")
)


def _not_forwarded(response: httpx.Response) -> bool:
    if response.status_code not in (502, 503):
        return False
    if not response.headers.get("content-type", "").startswith("application/problem+json"):
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("type") in _NOT_FORWARDED


def _timed_out(exc: BaseException) -> bool:
    """True for a timeout (not retried: the time is spent), false for other failures."""
    cause = exc.__cause__
    if isinstance(cause, aiohttp.ClientError):  # httpx-aiohttp's mapping is coarse
        return isinstance(cause, aiohttp.ServerTimeoutError)
    return isinstance(exc, (httpx.TimeoutException, TimeoutError))


def _never_sent(exc: BaseException) -> bool:
    """True only when the request certainly never left (unsure counts as sent)."""
    cause = exc.__cause__
    if isinstance(cause, aiohttp.ClientError):
        # httpx-aiohttp maps any aiohttp connection error (a server hanging up mid-answer
        # too) to ConnectTimeout: only a failure to connect proves nothing was sent.
        return isinstance(cause, aiohttp.ClientConnectorError)
    return isinstance(exc, _UNSENT)


class CircuitBreaker:
    """Opens after `failure_threshold` failures in a row; one trial call after `reset_seconds`."""

    def __init__(
        self,
        *,
        failure_threshold: int = 5,
        reset_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failure_threshold = failure_threshold
        self.reset_seconds = reset_seconds
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_in_flight = False

    @property
    def state(self) -> str:
        """`closed`, `open` or `half-open`."""
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at < self.reset_seconds:
            return "open"
        return "half-open"

    def retry_after(self) -> int:
        """Whole seconds until the breaker lets a trial call through (at least 1)."""
        if self._opened_at is None:
            return 1
        left = self.reset_seconds - (self._clock() - self._opened_at)
        return max(1, math.ceil(left))

    def allow(self) -> bool:
        """True when a call may go out now (and, half-open, mark it as the one trial)."""
        state = self.state
        if state == "closed":
            return True
        if state == "half-open" and not self._trial_in_flight:
            self._trial_in_flight = True
            return True
        return False

    def record_success(self) -> None:
        """The upstream answered: close the circuit."""
        self._failures = 0
        self._opened_at = None
        self._trial_in_flight = False

    def release_trial(self) -> None:
        """A call ended without saying anything about the upstream (e.g. it was cancelled)."""
        self._trial_in_flight = False

    def record_failure(self) -> None:
        """The upstream failed: count it, and open (or re-open) the circuit at the threshold."""
        self._failures += 1
        if self._trial_in_flight or self._failures >= self.failure_threshold:
            self._opened_at = self._clock()
        self._trial_in_flight = False


class ServiceClient:
    """A client for one upstream service, sharing the app's pooled httpx client."""

    def __init__(
        self,
        name: str,
        http: httpx.AsyncClient,
        base_url: str,
        *,
        credentials: ClientCredentials | None = None,
        timeout: float = 3.0,
        retries: int = 2,
        backoff_seconds: float = 0.05,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.name = name
        self._http = http
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.timeout = timeout
        self.retries = retries
        self.backoff_seconds = backoff_seconds
        self.breaker = breaker or CircuitBreaker()

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        """GET `path`; see `request`."""
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> httpx.Response:
        """POST `path`; see `request` (pass `idempotent=True` when the upstream dedupes it)."""
        return await self.request("POST", path, **kwargs)

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """Send a request and return the 2xx response, or raise the matching domain error.

        `timeout` bounds the whole call, retries included. Only idempotent calls are
        retried (on connection errors and 502/503/504), with a short jittered backoff.
        """
        method = method.upper()
        retry_allowed = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        deadline = time.monotonic() + (timeout or self.timeout)
        if not self.breaker.allow():
            raise self._unavailable("its circuit is open", self.breaker.retry_after(), circuit=True)
        try:
            response = await self._attempts(
                method, path, json, params, headers, deadline, retry_allowed=retry_allowed
            )
        except (ServiceUnavailable, BadGateway):
            self.breaker.record_failure()
            raise
        except BaseException:
            self.breaker.release_trial()
            raise
        self.breaker.record_success()
        if response.status_code >= 400:
            raise upstream_error(self.name, response)
        return response

    async def _attempts(
        self,
        method: str,
        path: str,
        json: Any,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        deadline: float,
        *,
        retry_allowed: bool,
    ) -> httpx.Response:
        attempt = 0
        refreshed_token = False
        delivered = False  # whether any attempt may have reached the upstream
        while True:
            attempt += 1
            if deadline <= time.monotonic():
                raise self._unavailable("it did not answer in time", 1, delivered=delivered)
            sent = [False]
            try:
                response, token = await self._send(
                    method, path, json, params, headers, deadline, sent
                )
            except (httpx.TransportError, TimeoutError) as exc:
                delivered = delivered or (sent[0] and not _never_sent(exc))
                if _timed_out(exc):
                    logger.warning("%s %s %s timed out: %r", self.name, method, path, exc)
                    raise self._unavailable(
                        "it did not answer in time", 1, delivered=delivered
                    ) from exc
                logger.warning("%s %s %s failed: %r", self.name, method, path, exc)
                if (
                    retry_allowed
                    and attempt <= self.retries
                    and await self._backoff(attempt, deadline)
                ):
                    continue
                raise self._unavailable("it cannot be reached", 2, delivered=delivered) from exc
            except ServiceUnavailable as exc:  # no token: the request itself never left
                if delivered or isinstance(exc, NotDelivered):
                    raise
                raise NotDelivered(exc.detail, extra=exc.extra, headers=exc.headers) from exc
            status = response.status_code
            delivered = delivered or not _not_forwarded(response)
            if status == 401 and token is not None and not refreshed_token:
                assert self.credentials is not None
                self.credentials.invalidate(token)
                refreshed_token = True
                continue
            if status in RETRYABLE_STATUSES:
                if (
                    retry_allowed
                    and attempt <= self.retries
                    and await self._backoff(attempt, deadline)
                ):
                    continue
                raise self._unavailable(
                    f"it answered {status}",
                    _retry_after(response) or 2,
                    delivered=delivered,
                    upstream=response,
                )
            if status >= 500:
                raise BadGateway(
                    f"The {self.name} service failed ({status}).",
                    extra={**_extra_members(response), "upstream_status": status},
                )
            return response

    async def _send(
        self,
        method: str,
        path: str,
        json: Any,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        deadline: float,
        sent: list[bool],
    ) -> tuple[httpx.Response, str | None]:
        sent_headers = dict(headers or {})
        token = None
        remaining = deadline - time.monotonic()
        if self.credentials is not None:
            token = self.credentials.fresh()  # nearly always: no task, no wait
            if token is None:
                # Shielded: a caller running out of time must not cancel a fetch others share.
                fetch = asyncio.ensure_future(self.credentials.token())
                token = await asyncio.wait_for(asyncio.shield(fetch), remaining)
                remaining = deadline - time.monotonic()
            sent_headers["Authorization"] = f"Bearer {token}"
        sent[0] = True
        response = await self._http.request(
            method,
            f"{self.base_url}{path}",
            json=json,
            params=params,
            headers=sent_headers,
            timeout=httpx.Timeout(max(0.001, remaining)),
        )
        return response, token

    async def _backoff(self, attempt: int, deadline: float) -> bool:
        """Sleep before retry `attempt + 1`; False when out of retries or time."""
        if attempt > self.retries:
            return False
        jitter = 0.5 + random.random()  # nosec B311 # noqa: S311 (spreads retries, not a secret)
        delay = self.backoff_seconds * (2 ** (attempt - 1)) * jitter
        if time.monotonic() + delay >= deadline:
            return False
        await asyncio.sleep(delay)
        return True

    def _unavailable(
        self,
        reason: str,
        retry_after: int,
        *,
        circuit: bool = False,
        delivered: bool = True,
        upstream: httpx.Response | None = None,
    ) -> ServiceUnavailable:
        cls = CircuitOpen if circuit else ServiceUnavailable if delivered else NotDelivered
        extra: dict[str, Any] = {"upstream": self.name}
        if upstream is not None:
            extra["upstream_status"] = upstream.status_code
        return cls(
            f"The {self.name} service is unavailable ({reason}); retry later.",
            extra=extra,
            headers={"Retry-After": str(retry_after)},
        )


def _retry_after(response: httpx.Response) -> int | None:
    value = response.headers.get("Retry-After", "")
    return int(value) if value.isdigit() else None


def _extra_members(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    if not isinstance(body, dict):
        return {}
    return {k: v for k, v in body.items() if k not in _PROBLEM_MEMBERS}


def upstream_error(service: str, response: httpx.Response) -> DomainError:
    """The domain error that means what the upstream's 4xx answer means.

    401/403 say that *this* service's credentials were refused, which is not the
    caller's fault: they become 502. Other statuses keep their meaning, with the
    upstream's problem type, detail and extra members (e.g. `short_items`) passed through.
    """
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    detail = body.get("detail") if isinstance(body, dict) else None
    if not isinstance(detail, str):
        detail = f"The {service} service answered {status}."
    extra = _extra_members(response)
    if status in (401, 403):
        logger.error("%s refused our credentials (%s): %s", service, status, detail)
        return BadGateway(f"The {service} service refused this service's credentials.")
    headers = {}
    if status == 429 and (after := _retry_after(response)) is not None:
        headers["Retry-After"] = str(after)
    problem_type = body.get("type") if isinstance(body, dict) else None
    slug = None
    if isinstance(problem_type, str) and problem_type.startswith(PROBLEM_TYPE_PREFIX):
        slug = problem_type.removeprefix(PROBLEM_TYPE_PREFIX)  # one of ours: keep its meaning
    error = _BY_STATUS.get(status, DomainError)
    return error(detail, extra=extra, headers=headers, problem_slug=slug)


def service_client(name: str) -> Callable[[Request], ServiceClient]:
    """A dependency giving the `ServiceClient` registered as `app.state.service_clients[name]`."""

    def provide(request: Request) -> ServiceClient:
        clients: dict[str, ServiceClient] = request.app.state.service_clients
        return clients[name]

    provide.__name__ = f"get_{name}_client"
    return provide


__all__ = [
    "CircuitBreaker",
    "CircuitOpen",
    "ClientCredentials",
    "ServiceClient",
    "service_client",
    "upstream_error",
]
