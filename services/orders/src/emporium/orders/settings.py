"""Orders settings (env prefix `ORDERS_`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from emporium.servicekit import ServiceSettings


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

    @model_validator(mode="after")
    def _client_secret_configured(self) -> OrdersSettings:
        if self.environment == "production" and not (self.client_secret or self.client_secret_file):
            raise ValueError(
                "ORDERS_CLIENT_SECRET or ORDERS_CLIENT_SECRET_FILE must be set in production"
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
        return f"{self.gateway_url.rstrip('/')}/auth/token"


@lru_cache
def get_settings() -> OrdersSettings:
    """The process-wide settings, read once from the environment."""
    return OrdersSettings()
