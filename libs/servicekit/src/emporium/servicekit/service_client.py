"""Calls to other services: timeouts, safe retries, a circuit breaker and token handling.

Failures come back as servicekit domain errors, so a route that calls another service
needs no error handling of its own: unreachable, slow, failing or circuit-open upstreams
become `ServiceUnavailable` (503 with `Retry-After`), and an upstream problem+json answer
becomes the domain error of the same meaning with the upstream's extra members kept.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from emporium.servicekit.client_credentials import ClientCredentials
from emporium.servicekit.errors import BadGateway, ServiceUnavailable
from emporium.servicekit.metrics import Metrics
from emporium.servicekit.resilience import CircuitBreaker, RetryPolicy
from emporium.servicekit.upstream_errors import (
    RETRYABLE_STATUSES,
    extra_members,
    never_sent,
    not_forwarded,
    retry_after,
    timed_out,
    upstream_error,
)

logger = logging.getLogger("emporium.service_client")

BREAKER_METRIC = "service_client_circuit_breaker_state"
BREAKER_METRIC_HELP = "Circuit breaker of each service this part calls: 1 for its current state."


class NotDelivered(ServiceUnavailable):
    """The request never reached the upstream (unreachable, no token, circuit open): it did
    nothing, so the caller need not compensate. Any other `ServiceUnavailable` may have."""


class CircuitOpen(NotDelivered):
    """The circuit breaker is open: the upstream failed repeatedly and is not called."""


@dataclass(frozen=True, slots=True)
class _Call:
    """One request as the caller made it, and by when it must be answered."""

    method: str
    path: str
    json: Any
    params: Mapping[str, Any] | None
    headers: Mapping[str, str] | None
    deadline: float
    retry_allowed: bool


class ServiceClient:
    """A client for one upstream service, sharing the app's pooled httpx client.

    Given the app's `metrics`, its breaker's state is exported as
    `service_client_circuit_breaker_state{upstream=<name>}`.
    """

    def __init__(
        self,
        name: str,
        http: httpx.AsyncClient,
        base_url: str,
        *,
        credentials: ClientCredentials | None = None,
        timeout: float = 3.0,
        retry: RetryPolicy | None = None,
        breaker: CircuitBreaker | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.name = name
        self._http = http
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.breaker = breaker or CircuitBreaker()
        if metrics is not None:
            metrics.circuit_breakers(BREAKER_METRIC, BREAKER_METRIC_HELP)[name] = self.breaker

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
        call = _Call(
            method,
            path,
            json,
            params,
            headers,
            deadline=time.monotonic() + (timeout or self.timeout),
            retry_allowed=self.retry.applies(method, idempotent=idempotent),
        )
        if not self.breaker.allow():
            raise self._unavailable("its circuit is open", self.breaker.retry_after(), circuit=True)
        try:
            response = await self._attempts(call)
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

    async def _attempts(self, call: _Call) -> httpx.Response:
        attempt = 0
        refreshed_token = False
        delivered = False  # whether any attempt may have reached the upstream
        while True:
            attempt += 1
            if call.deadline <= time.monotonic():
                raise self._unavailable("it did not answer in time", 1, delivered=delivered)
            sent = [False]
            try:
                response, token = await self._send(call, sent)
            except (httpx.TransportError, TimeoutError) as exc:
                delivered = delivered or (sent[0] and not never_sent(exc))
                if timed_out(exc):
                    logger.warning("%s %s %s timed out: %r", self.name, call.method, call.path, exc)
                    raise self._unavailable(
                        "it did not answer in time", 1, delivered=delivered
                    ) from exc
                logger.warning("%s %s %s failed: %r", self.name, call.method, call.path, exc)
                if call.retry_allowed and await self._backoff(attempt, call.deadline):
                    continue
                raise self._unavailable("it cannot be reached", 2, delivered=delivered) from exc
            except ServiceUnavailable as exc:  # no token: the request itself never left
                if delivered or isinstance(exc, NotDelivered):
                    raise
                raise NotDelivered(exc.detail, extra=exc.extra, headers=exc.headers) from exc
            status = response.status_code
            delivered = delivered or not not_forwarded(response)
            if status == 401 and token is not None and not refreshed_token:
                assert self.credentials is not None
                self.credentials.invalidate(token)
                refreshed_token = True
                continue
            if status in RETRYABLE_STATUSES:
                if call.retry_allowed and await self._backoff(attempt, call.deadline):
                    continue
                raise self._unavailable(
                    f"it answered {status}",
                    retry_after(response) or 2,
                    delivered=delivered,
                    upstream=response,
                )
            if status >= 500:
                raise BadGateway(
                    f"The {self.name} service failed ({status}).",
                    extra={**extra_members(response), "upstream_status": status},
                )
            return response

    async def _send(self, call: _Call, sent: list[bool]) -> tuple[httpx.Response, str | None]:
        sent_headers = dict(call.headers or {})
        token = None
        remaining = call.deadline - time.monotonic()
        if self.credentials is not None:
            token = self.credentials.fresh()  # nearly always: no task, no wait
            if token is None:
                # Shielded: a caller running out of time must not cancel a fetch others share.
                fetch = asyncio.ensure_future(self.credentials.token())
                token = await asyncio.wait_for(asyncio.shield(fetch), remaining)
                remaining = call.deadline - time.monotonic()
            sent_headers["Authorization"] = f"Bearer {token}"
        sent[0] = True
        response = await self._http.request(
            call.method,
            f"{self.base_url}{call.path}",
            json=call.json,
            params=call.params,
            headers=sent_headers,
            timeout=httpx.Timeout(max(0.001, remaining)),
        )
        return response, token

    async def _backoff(self, attempt: int, deadline: float) -> bool:
        """Sleep before retry `attempt + 1`; False when out of retries or time."""
        delay = self.retry.delay(attempt)
        if delay is None or time.monotonic() + delay >= deadline:
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
