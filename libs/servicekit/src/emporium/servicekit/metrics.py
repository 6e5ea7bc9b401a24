"""Prometheus metrics, one registry per app so tests can build many apps.

Beside the request (RED) metrics every part has, each part registers its own business
metrics here (`counter`, `states`); names follow Prometheus conventions (`_total`, units).
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response

from emporium.servicekit.problems import problem_response
from emporium.servicekit.resilience import BreakerState, CircuitBreaker

_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """Request count and latency by method, route template and status."""

    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests handled.",
            ["service", "method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency in seconds.",
            ["service", "method", "route", "status"],
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.service = service
        self.jwks_refreshes = self.counter(
            "jwks_refreshes", "Fetches of the signing keys (JWKS), by result.", ["result"]
        )
        # labels() validates and locks on every call; the set of label tuples is small.
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}
        self._breakers: dict[str, dict[str, CircuitBreaker]] = {}

    def jwks_fetched(self, result: str) -> None:
        """Count one JWKS fetch ("success" or "failure")."""
        self.jwks_refreshes.labels(self.service, result).inc()

    def counter(self, name: str, documentation: str, labels: Sequence[str] = ()) -> Counter:
        """A counter in this app's registry (`name` without `_total`; a `service` label leads)."""
        return Counter(name, documentation, ["service", *labels], registry=self.registry)

    def states(
        self,
        name: str,
        documentation: str,
        label: str,
        read: Callable[[], Iterable[tuple[str, str]]],
        states: Sequence[str],
    ) -> None:
        """A state-set gauge read at scrape time: `read` yields (label value, current state);
        each (label value, state) series is 1 for the current state, else 0."""
        self.registry.register(
            _StateCollector(self.service, name, documentation, label, read, tuple(states))
        )

    def circuit_breakers(self, name: str, documentation: str) -> dict[str, CircuitBreaker]:
        """The breakers (by upstream) exported as the state-set gauge `name`: put one in the
        returned dict to export it. The same dict every time for one `name`."""
        if name not in self._breakers:
            breakers: dict[str, CircuitBreaker] = {}
            self.states(
                name,
                documentation,
                "upstream",
                lambda: [(upstream, b.state) for upstream, b in breakers.items()],
                [state.value for state in BreakerState],
            )
            self._breakers[name] = breakers
        return self._breakers[name]

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Record one handled request."""
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            labels = (self.service, method, route, str(status))
            children = (self.requests.labels(*labels), self.latency.labels(*labels))
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    async def endpoint(self, request: Request) -> Response:
        """Serve the registry in the Prometheus text format."""
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)

    def scraper_endpoint(
        self, *, token: str | None, public: bool
    ) -> Callable[[Request], Awaitable[Response]]:
        """`endpoint` for authorised scrapers only: a 404 problem for anyone else.

        With `token`, only `Authorization: Bearer <token>` may read; without, anyone may when
        `public`, and no one when not (the public edge, whose traffic is nobody's business).
        """
        expected = f"Bearer {token}".encode() if token is not None else None

        async def guarded(request: Request) -> Response:
            given = request.headers.get("authorization", "").encode("latin-1", "replace")
            allowed = hmac.compare_digest(given, expected) if expected is not None else public
            if not allowed:
                return problem_response(
                    404, slug="not-found", detail="Not found.", instance=request.url.path
                )
            return await self.endpoint(request)

        return guarded


@dataclass(frozen=True, eq=False)  # collectors are told apart by identity
class _StateCollector(Collector):
    service: str
    name: str
    documentation: str
    label: str
    read: Callable[[], Iterable[tuple[str, str]]]
    states: tuple[str, ...]

    def collect(self) -> Iterable[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            self.name, self.documentation, labels=["service", self.label, "state"]
        )
        for value, current in self.read():
            for state in self.states:
                family.add_metric([self.service, value, state], 1.0 if state == current else 0.0)
        yield family
