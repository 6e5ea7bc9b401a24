"""What the edge needs per request: the upstream table, policies, and the live resources."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import Counter

from emporium.gateway.inflight import InFlightLimiter
from emporium.gateway.proxy import Proxy
from emporium.gateway.ratelimit import RateLimiter, RatePolicies
from emporium.gateway.settings import GatewaySettings
from emporium.gateway.tracing import EdgeTracer
from emporium.gateway.upstream import UpstreamRuntime
from emporium.servicekit.health import Readiness
from emporium.servicekit.metrics import Metrics
from emporium.servicekit.telemetry import tracer_provider
from emporium.servicekit.tokens import TokenVerifier

BREAKER_METRIC = "gateway_circuit_breaker_state"
BREAKER_METRIC_HELP = "Circuit breaker of each upstream: 1 for its current state."


@dataclass
class GatewayRuntime:
    """Everything the edge needs per request; the lifespan fills in the live resources."""

    settings: GatewaySettings
    metrics: Metrics
    upstreams: dict[str, UpstreamRuntime]
    policies: RatePolicies
    proxy: Proxy | None = None
    verifier: TokenVerifier | None = None
    limiter: RateLimiter | None = None
    rate_limited: Counter | None = None
    tracing: EdgeTracer = field(default_factory=lambda: EdgeTracer(None, "continue"))
    readiness: Readiness | None = None
    routes: tuple[tuple[str, str, str, UpstreamRuntime], ...] = field(default=())
    in_flight: InFlightLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.in_flight = InFlightLimiter(self.settings.max_in_flight_per_client)
        entries = [
            (prefix, prefix + "/", prefix + "/**", upstream)
            for upstream in self.upstreams.values()
            for prefix in upstream.config.prefixes
        ]
        entries.sort(key=lambda e: len(e[0]), reverse=True)  # longest prefix wins
        self.routes = tuple(entries)

    @classmethod
    def build(
        cls,
        settings: GatewaySettings,
        upstreams: dict[str, UpstreamRuntime],
        metrics: Metrics,
        readiness: Readiness,
    ) -> GatewayRuntime:
        """The runtime for these upstreams, with its metrics registered on the app's."""
        metrics.circuit_breakers(BREAKER_METRIC, BREAKER_METRIC_HELP).update(
            {name: upstream.breaker for name, upstream in upstreams.items()}
        )
        provider = tracer_provider()
        return cls(
            settings=settings,
            metrics=metrics,
            upstreams=upstreams,
            policies=RatePolicies.from_settings(settings),
            rate_limited=metrics.counter(
                "gateway_rate_limit_rejections",
                "Requests the edge refused with 429, by rate-limit policy.",
                ["policy"],
            ),
            tracing=EdgeTracer(
                provider.get_tracer("emporium.gateway") if provider is not None else None,
                settings.trace_incoming,
            ),
            readiness=readiness,
        )

    def match(self, path: str) -> tuple[str, UpstreamRuntime] | None:
        """The route label and upstream owning `path`, or None for the gateway's own pages."""
        for prefix, prefix_slash, label, upstream in self.routes:
            if path == prefix or path.startswith(prefix_slash):
                return label, upstream
        return None
