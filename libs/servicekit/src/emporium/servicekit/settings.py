"""Settings base class shared by every service."""

from __future__ import annotations

from typing import ClassVar, Literal
from urllib.parse import urljoin

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]


def to_async_url(url: str) -> str:
    """Return a SQLAlchemy URL that uses the asyncpg driver."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    return url


class ServiceSettings(BaseSettings):
    """Settings every service has; subclasses set `env_prefix` and their own fields."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    service_name: ClassVar[str] = "service"
    service_title: ClassVar[str] = "Emporium service"
    service_version: ClassVar[str] = "0.1.0"
    uses_database: ClassVar[bool] = True

    environment: Environment = "development"
    log_level: str = "INFO"
    log_json: bool = True

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    # Connections kept open for the in-flight load. Overflow connections are opened and
    # closed per burst, and a new PostgreSQL connection costs far more server CPU than the
    # transaction it carries: waiting briefly for a pooled one is cheaper.
    db_pool_size: int = 20
    db_max_overflow: int = 0
    # A ping before every transaction costs a round trip each time. Without it, a connection
    # broken by a server restart fails one request with a 503 and SQLAlchemy then discards
    # every pooled connection older than the failure; recycling bounds a connection's age.
    db_pool_pre_ping: bool = False
    db_pool_recycle_seconds: float = 300.0
    db_pool_timeout_seconds: float = 5.0
    db_connect_timeout_seconds: float = 5.0
    db_statement_timeout_ms: int = 15_000

    jwt_issuer: str = "http://localhost:8000"
    jwt_audience: str = "emporium"
    # Where clients get tokens, from the gateway's origin: the OAuth2 flow the docs describe.
    token_path: str = "/auth/token"  # nosec B105 # noqa: S105 (a path, not a secret)
    jwks_url: str = "http://localhost:8001/.well-known/jwks.json"
    jwks_cache_seconds: float = 300.0
    jwks_min_refetch_seconds: float = 5.0
    # Revoked tokens and changed accounts; beside the JWKS (`revocations.json`) when not set.
    revocations_url: str | None = None
    revocations_refresh_seconds: float = Field(default=3.0, gt=0)

    readiness_cache_seconds: float = Field(default=1.0, ge=0)
    # `/metrics` for scrapers only: with a token, only `Authorization: Bearer <token>` reads it;
    # without one it is open, unless the part is on the public edge (`metrics_public=False`).
    metrics_token: SecretStr | None = None
    metrics_public: bool = True

    http_connect_timeout_seconds: float = 2.0
    http_read_timeout_seconds: float = 5.0

    # A larger request body is refused with 413 before anything reads it.
    max_body_bytes: int = 1024 * 1024

    @field_validator("database_url")
    @classmethod
    def _asyncpg_driver(cls, value: str) -> str:
        return to_async_url(value)

    @property
    def revocation_list_url(self) -> str:
        """Where auth publishes the revocation list."""
        return self.revocations_url or urljoin(self.jwks_url, "revocations.json")
