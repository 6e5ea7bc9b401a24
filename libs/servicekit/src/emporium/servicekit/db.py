"""Database plumbing: metadata naming convention, engine factory, session dependency."""

from __future__ import annotations

import enum
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import DateTime, Enum, MetaData, func
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Mapped, mapped_column

from emporium.servicekit.settings import ServiceSettings, to_async_url

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    """A MetaData with the project's constraint naming convention (one per service)."""
    return MetaData(naming_convention=NAMING_CONVENTION)


class UUIDPrimaryKeyMixin:
    """A UUID primary key generated in Python (so it is known before flush)."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class TimestampMixin:
    """Timezone-aware `created_at` / `updated_at` kept by the database."""

    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    )


def make_engine(settings: ServiceSettings) -> AsyncEngine:
    """An asyncpg engine with a bounded, recycled pool and connect/statement timeouts."""
    return create_async_engine(
        to_async_url(settings.database_url),
        pool_pre_ping=settings.db_pool_pre_ping,
        pool_recycle=settings.db_pool_recycle_seconds,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout_seconds,
        connect_args={
            "timeout": settings.db_connect_timeout_seconds,
            # A backstop for a server that stopped answering; PostgreSQL's own
            # statement_timeout (below) is what normally ends a slow statement.
            "command_timeout": settings.db_statement_timeout_ms / 1000 + 2,
            "server_settings": {
                "application_name": f"emporium-{settings.service_name}",
                "statement_timeout": str(settings.db_statement_timeout_ms),
            },
        },
    )


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded attributes after commit (safe to serialise)."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def make_read_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for requests that only read: each statement runs on its own (autocommit),
    which saves the BEGIN and COMMIT round trips a one-query read would otherwise pay."""
    autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
    return async_sessionmaker(autocommit, expire_on_commit=False, autoflush=False)


async def get_read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One read-only AsyncSession per request, outside any transaction (never write on it)."""
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.read_sessionmaker
    async with sessionmaker() as session:
        yield session


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One AsyncSession per request: commit on success, roll back on any error."""
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        else:
            await session.commit()


# scope="function": the commit happens before the response is sent, so a failed
# commit becomes an error response instead of a 2xx for data that was not written.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
ReadSessionDep = Annotated[AsyncSession, Depends(get_read_session, scope="function")]
"""For routes that only read (lists): statements run without a transaction."""


def state_enum(states: type[enum.StrEnum], name: str) -> Enum:
    """A column type for a `StrEnum` of states: a VARCHAR(16) holding each member's value,
    which a CHECK constraint named `name` lists (adding a state is a migration, not a type)."""
    return Enum(
        states,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [m.value for m in members],
    )
