"""Pooled connections: no ping per transaction, and a broken connection costs one request."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from .conftest import ClientFactory

KILL = text(
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
    "WHERE datname = current_database() AND application_name = 'emporium-catalog'"
)


async def test_connections_killed_by_the_server_fail_one_request_then_recover(
    client_factory: ClientFactory, engine: AsyncEngine
) -> None:
    async with client_factory() as client:
        assert (await client.get("/catalog/products")).status_code == 200
        async with engine.connect() as conn:
            assert (await conn.execute(KILL)).scalar_one() >= 1
            await conn.commit()

        first = await client.get("/catalog/products")
        assert first.status_code in (200, 503)
        if first.status_code == 503:
            assert first.headers["content-type"] == "application/problem+json"
            assert int(first.headers["retry-after"]) >= 1
        # The pool dropped every connection older than the failure: the next ones work.
        statuses = [(await client.get("/catalog/products")).status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
