"""The list read's SQL: compiled once per listing shape, then run as driver SQL.

Every request of one shape (sort, which filters, a cursor or not) runs the same SQL text, so
it is compiled the first time the shape is seen; a request only puts its values in order. The
rows are plain driver records: a page is read and serialised, never changed.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Dialect, RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from emporium.catalog.products.listing import (
    PARAMETERS,
    READ_COLUMNS,
    Listing,
    ListingShape,
    shape_statement,
)


@dataclass(frozen=True, slots=True)
class CompiledListing:
    """A shape's SQL with positional parameters, and what fills each position."""

    sql: str
    names: tuple[str, ...]
    """The bound parameter at each position."""
    constants: Mapping[str, Any]
    """Values fixed by the shape itself (e.g. the 0 of `stock > 0`)."""

    def arguments(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """The positional arguments for one request's values."""
        return tuple(
            values[name] if name in PARAMETERS else self.constants[name] for name in self.names
        )


@functools.cache
def compiled_listing(shape: ListingShape, dialect: Dialect) -> CompiledListing:
    """The SQL of `shape` for `dialect` (cached: one compilation per shape and dialect)."""
    compiled = shape_statement(shape).with_only_columns(*READ_COLUMNS).compile(dialect=dialect)
    names = tuple(compiled.positiontup or ())
    for name in names:
        impl = compiled.binds[name].type.dialect_impl(dialect)
        # Driver SQL skips SQLAlchemy's value conversions: none may be needed.
        if impl.bind_processor(dialect) is not None:  # pragma: no cover - a guard
            raise TypeError(f"parameter {name!r} needs a bind processor")
    for column in READ_COLUMNS:
        if column.type.dialect_impl(dialect).result_processor(dialect, None) is not None:
            raise TypeError(f"column {column.key!r} needs a result processor")  # pragma: no cover
    constants = {name: value for name, value in compiled.params.items() if name not in PARAMETERS}
    return CompiledListing(str(compiled), names, constants)


async def fetch_listing(listing: Listing, *, session: AsyncSession) -> Sequence[RowMapping]:
    """The rows of one listing (limit + 1 of them at most), as column-name mappings."""
    connection = await session.connection()
    compiled = compiled_listing(listing.shape, connection.dialect)
    result = await connection.exec_driver_sql(compiled.sql, compiled.arguments(listing.values))
    return result.mappings().all()
