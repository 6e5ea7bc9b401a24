"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from emporium.catalog.models import Base
from emporium.servicekit.testing import schema_drift


async def test_migrations_match_the_models(catalog_database_url: str) -> None:
    assert await schema_drift(catalog_database_url, Base.metadata) == []
