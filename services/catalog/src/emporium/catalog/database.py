"""The catalog's declarative base (its own metadata, the shared naming convention), and
flushing writes that a unique constraint guards."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

from emporium.servicekit.db import new_metadata
from emporium.servicekit.errors import DomainError


class Base(DeclarativeBase):
    """Base class of every catalog table."""

    metadata = new_metadata()


async def flush_unique(session: AsyncSession, constraint: str, taken: DomainError) -> None:
    """Flush the session's changes; a clash on the unique `constraint` raises `taken`."""
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        if constraint in str(exc.orig):
            raise taken from exc
        raise
