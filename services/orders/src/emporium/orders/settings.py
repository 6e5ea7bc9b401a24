"""Orders settings (env prefix `ORDERS_`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from emporium.servicekit.settings import ServiceSettings


class OrdersSettings(ServiceSettings):
    """Settings of the orders service."""

    model_config = SettingsConfigDict(env_prefix="ORDERS_", extra="ignore", frozen=True)

    service_name: ClassVar[str] = "orders"
    service_title: ClassVar[str] = "Emporium Orders"

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/orders"

    gateway_url: str = "http://localhost:8000"
    client_id: str = "orders"
    client_secret: SecretStr | None = None
    client_secret_file: Path | None = None

    catalog_timeout_seconds: float = Field(default=3.0, gt=0)
    catalog_retries: int = Field(default=2, ge=0, le=5)
    catalog_breaker_failures: int = Field(default=5, ge=1)
    catalog_breaker_reset_seconds: float = Field(default=5.0, gt=0)
    idempotency_lease_seconds: float = Field(default=60.0, gt=0)

    max_units_per_product_per_customer: int = Field(default=100, ge=1, le=1_000_000)
    """Units of one product a customer may hold in open (pending or confirmed) orders."""

    pending_order_stale_seconds: float = Field(default=300.0, gt=0)
    """Age after which a still-pending order is taken to be left by a dead process."""
    pending_order_recovery_interval_seconds: float = Field(default=30.0, gt=0)
    """Seconds between two rounds of the recovery task."""
    pending_order_recovery_batch: int = Field(default=100, ge=1, le=10_000)
    """Stale pending orders resolved per round at most."""

    stock_release_interval_seconds: float = Field(default=5.0, gt=0)
    """Seconds between two rounds that settle stock releases owed by cancelled orders."""
    stock_release_batch: int = Field(default=100, ge=1, le=10_000)
    """Owed releases settled per round at most."""

    @model_validator(mode="after")
    def _client_secret_configured(self) -> OrdersSettings:
        if self.environment == "production" and not (self.client_secret or self.client_secret_file):
            raise ValueError(
                "ORDERS_CLIENT_SECRET or ORDERS_CLIENT_SECRET_FILE must be set in production"
            )
        return self

    @model_validator(mode="after")
    def _stale_outlives_live_requests(self) -> OrdersSettings:
        # A live placement keeps its order pending for at most two catalog calls (the sale,
        # and a release when storing its answer fails) and owns its key for the lease:
        # recovery must not take such an order from under it.
        floor = max(self.idempotency_lease_seconds, 2 * self.catalog_timeout_seconds)
        if self.pending_order_stale_seconds <= floor:
            raise ValueError(
                "ORDERS_PENDING_ORDER_STALE_SECONDS must exceed ORDERS_IDEMPOTENCY_LEASE_SECONDS "
                f"and twice ORDERS_CATALOG_TIMEOUT_SECONDS (here: more than {floor:g})"
            )
        return self

    def read_client_secret(self) -> str:
        """The client secret, from the file when one is named (read at start-up)."""
        if self.client_secret_file is not None:
            return self.client_secret_file.read_text().strip()
        return self.client_secret.get_secret_value() if self.client_secret else ""

    @property
    def token_url(self) -> str:
        """The auth token endpoint, reached through the gateway."""
        return f"{self.gateway_url.rstrip('/')}{self.token_path}"


@lru_cache
def get_settings() -> OrdersSettings:
    """The process-wide settings, read once from the environment."""
    return OrdersSettings()
