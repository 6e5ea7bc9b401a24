"""Catalog settings (env prefix `CATALOG_`)."""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from emporium.servicekit.settings import ServiceSettings


class CatalogSettings(ServiceSettings):
    """Settings of the catalog service."""

    model_config = SettingsConfigDict(env_prefix="CATALOG_", extra="ignore", frozen=True)

    service_name: ClassVar[str] = "catalog"
    service_title: ClassVar[str] = "Emporium Catalog"

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/catalog"

    reservation_ttl: float = Field(default=300.0, gt=0)
    """Seconds a pending reservation holds its stock before it expires (CATALOG_RESERVATION_TTL)."""
    reservation_sweep_interval: float = Field(default=15.0, gt=0)
    """Seconds between two sweeps that expire overdue reservations."""
    reservation_sweep_batch: int = Field(default=200, ge=1, le=10_000)
    """Reservations expired per transaction by one sweep step."""


@lru_cache
def get_settings() -> CatalogSettings:
    """The process-wide settings, read once from the environment."""
    return CatalogSettings()
