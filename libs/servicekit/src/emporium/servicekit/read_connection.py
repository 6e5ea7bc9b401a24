"""Reads in raw SQL on the driver (asyncpg) connection of a pooled one: for the hottest lists.

No session and no transaction: each statement runs on its own. Errors reach the problem
handlers as SQLAlchemy's would, a broken connection is dropped as SQLAlchemy drops its own,
and with tracing on each statement is a database span, as the ORM's are.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request
from opentelemetry.trace import SpanKind
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from emporium.servicekit.telemetry import tracer_provider

_DRIVER_ERRORS = (
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    OSError,
)


class ReadConnection:
    """The few asyncpg calls a read needs, each a database span when tracing is on."""

    __slots__ = ("_attributes", "_driver")

    def __init__(self, driver: Any, database: str | None) -> None:
        self._driver = driver
        self._attributes = {"db.system.name": "postgresql", "db.namespace": database or ""}

    async def fetch(self, sql: str, *args: Any) -> list[Any]:
        """Every row of `sql` ($n parameters) as asyncpg records."""
        if tracer_provider() is None:
            rows: list[Any] = await self._driver.fetch(sql, *args)
            return rows
        with self._span(sql):
            traced: list[Any] = await self._driver.fetch(sql, *args)
            return traced

    async def fetchval(self, sql: str, *args: Any) -> Any:
        """The first column of the first row of `sql`, or None."""
        if tracer_provider() is None:
            return await self._driver.fetchval(sql, *args)
        with self._span(sql):
            return await self._driver.fetchval(sql, *args)

    def _span(self, sql: str) -> Any:
        provider = tracer_provider()
        assert provider is not None
        tracer = provider.get_tracer("emporium.servicekit.read_connection")
        name = f"{sql.split(None, 1)[0].upper()} {self._attributes['db.namespace']}".strip()
        attributes = {**self._attributes, "db.query.text": sql}
        return tracer.start_as_current_span(name, kind=SpanKind.CLIENT, attributes=attributes)


async def get_read_connection(request: Request) -> AsyncIterator[ReadConnection]:
    """One pooled connection's driver for this request's reads, outside any transaction."""
    engine: AsyncEngine = request.app.state.engine
    async with engine.connect() as connection:
        fairy = await connection.get_raw_connection()
        try:
            yield ReadConnection(fairy.driver_connection, engine.url.database)
        except _DRIVER_ERRORS as exc:
            # Let SQLAlchemy look at the connection after the failure, as after its own: a
            # broken one is invalidated with every older one in the pool and its error (a
            # 503) raised; a sound one answers, and the driver's error goes on as a DBAPIError.
            await connection.exec_driver_sql("SELECT 1")
            raise DBAPIError(None, None, exc) from exc


ReadConnectionDep = Annotated[ReadConnection, Depends(get_read_connection, scope="function")]
"""For reads done in raw SQL on the driver (hot public lists): no session, no transaction."""
