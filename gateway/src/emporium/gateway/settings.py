"""Gateway settings (env prefix `GATEWAY_`)."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import ClassVar, Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import SettingsConfigDict

from emporium.servicekit.settings import ServiceSettings


class Upstream(BaseModel):
    """One service behind the gateway: where it runs and which path spaces it owns."""

    model_config = {"frozen": True}

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    url: str
    prefixes: tuple[str, ...]
    connect_timeout_seconds: float | None = None
    read_timeout_seconds: float | None = None
    pool_size: int | None = Field(default=None, ge=1)

    @field_validator("url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("prefixes")
    @classmethod
    def _absolute_prefixes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple("/" + p.strip("/") for p in value)
        if not cleaned or "/" in cleaned:
            raise ValueError("an upstream needs at least one non-root prefix")
        return cleaned


DEFAULT_UPSTREAMS = (
    Upstream(name="auth", url="http://127.0.0.1:8001", prefixes=("/auth", "/.well-known")),
    Upstream(name="catalog", url="http://127.0.0.1:8002", prefixes=("/catalog",)),
    Upstream(name="orders", url="http://127.0.0.1:8003", prefixes=("/orders",)),
)


class GatewaySettings(ServiceSettings):
    """Settings of the gateway; the upstream table is one JSON list."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore", frozen=True)

    service_name: ClassVar[str] = "gateway"
    service_title: ClassVar[str] = "Emporium Gateway"
    uses_database: ClassVar[bool] = False

    upstreams: tuple[Upstream, ...] = DEFAULT_UPSTREAMS
    # The edge is public: its /metrics is for scrapers with GATEWAY_METRICS_TOKEN only.
    metrics_public: bool = False

    # Proxy
    connect_timeout_seconds: float = 2.0
    read_timeout_seconds: float = 30.0
    max_body_bytes: int = Field(default=1024 * 1024, ge=1)
    """Largest request body; it is held in memory until sent on (as large as a service takes)."""
    pool_size: int = Field(default=128, ge=1)
    """Connections to each upstream (its own pool: one upstream cannot take another's)."""
    keepalive_seconds: float = 4.0  # below uvicorn's 5 s so we never reuse a closing socket
    access_log: bool = True

    # Slow clients: a request is read whole, within these bounds, before any upstream is called
    header_timeout_seconds: float = Field(default=10.0, gt=0)
    """A request's headers must arrive within this many seconds, else the connection closes."""
    body_timeout_seconds: float = Field(default=10.0, gt=0)
    """A request body must arrive within this many seconds plus one per `body_min_rate` bytes."""
    body_min_rate: int = Field(default=1024, ge=1)
    """Bytes per second a client must keep up while sending a body (`408` when slower)."""
    max_in_flight_per_client: int = Field(default=100, ge=1)
    """Requests one client address may have in flight at once (service clients excepted)."""
    max_connections: int = Field(default=2048, ge=1)
    """Connections the process holds before it answers `503` (uvicorn's --limit-concurrency)."""

    # Circuit breaker (per upstream)
    breaker_failure_threshold: int = 5
    breaker_open_seconds: float = 10.0

    # Readiness of upstreams
    readiness_timeout_seconds: float = 1.5

    # Edge authentication
    edge_auth: bool = True
    token_path: str = "/auth/token"  # nosec B105 # noqa: S105 - a path, not a secret
    """The auth service's token endpoint: its own rate limit, and the docs' sign-in."""

    # Trace headers (`traceparent`, `tracestate`, `baggage`) from callers other than our own
    # services (client-credentials tokens): "continue" their trace, or "restart" with a new
    # one linked to theirs (an internet-facing edge: nobody outside decides what is sampled).
    trace_incoming: Literal["continue", "restart"] = "continue"

    # Rate limiting: token buckets, one policy per kind of caller (ratelimit.py)
    rate_limit_enabled: bool = True
    anonymous_rate_limit_per_second: float = Field(default=50.0, gt=0)
    """Requests without a token, per client address."""
    anonymous_rate_limit_burst: int = Field(default=100, ge=1)
    customer_rate_limit_per_second: float = Field(default=20.0, gt=0)
    """Requests with a user's token, per account."""
    customer_rate_limit_burst: int = Field(default=40, ge=1)
    customer_address_rate_limit_per_second: float = Field(default=200.0, gt=0)
    """Requests with users' tokens, per client address (every account behind it together)."""
    customer_address_rate_limit_burst: int = Field(default=400, ge=1)
    service_rate_limit_per_second: float = Field(default=2000.0, gt=0)
    """Requests with a service client's token (client credentials), per client."""
    service_rate_limit_burst: int = Field(default=4000, ge=1)
    token_rate_limit_per_second: float = Field(default=1.0, gt=0)
    """`POST /auth/token`, per client address, whoever asks."""
    token_rate_limit_burst: int = Field(default=20, ge=1)
    redis_url: str | None = Field(default=None, validate_default=True)
    redis_key_prefix: str = "emporium:ratelimit:"

    # CORS
    cors_origins: tuple[str, ...] = ()
    cors_allow_credentials: bool = False
    cors_max_age_seconds: int = 600

    # Merged OpenAPI
    public_url: str | None = None
    openapi_refresh_seconds: float = 60.0
    openapi_retry_seconds: float = 3.0

    @field_validator("redis_url")
    @classmethod
    def _plain_redis_url(cls, value: str | None) -> str | None:
        # `REDIS_URL` is the name every platform uses; `GATEWAY_REDIS_URL` wins when both are set.
        return value or os.environ.get("REDIS_URL") or None

    @field_validator("upstreams")
    @classmethod
    def _unique(cls, value: tuple[Upstream, ...]) -> tuple[Upstream, ...]:
        names = [u.name for u in value]
        prefixes = [p for u in value for p in u.prefixes]
        if len(set(names)) != len(names):
            raise ValueError("upstream names must be unique")
        if len(set(prefixes)) != len(prefixes):
            raise ValueError("an upstream prefix may belong to one upstream only")
        return value


@lru_cache
def get_settings() -> GatewaySettings:
    """The process-wide settings, read once from the environment."""
    return GatewaySettings()
