"""SQLAlchemy statements compiled once to the driver's SQL, for hot reads run on asyncpg."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.sql import Select

DIALECT = asyncpg_dialect()  # type: ignore[no-untyped-call]


@dataclass(frozen=True, slots=True)
class CompiledSQL:
    """A statement's SQL with positional ($n) parameters, and what fills each position."""

    sql: str
    names: tuple[str, ...]
    """The bound parameter at each position."""
    variables: frozenset[str]
    """The parameters whose values each request gives."""
    constants: Mapping[str, Any]
    """The values the statement itself fixes (e.g. the 0 of `stock > 0`)."""

    def arguments(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """The positional arguments for one request's values."""
        return tuple(
            values[name] if name in self.variables else self.constants[name] for name in self.names
        )


def compile_for_driver(stmt: Select[Any], variables: Collection[str]) -> CompiledSQL:
    """Compile `stmt` for asyncpg; `variables` names its per-request bind parameters.

    Driver SQL skips SQLAlchemy's value conversions, so a statement needing one is refused.
    """
    compiled = stmt.compile(dialect=DIALECT)
    names = tuple(compiled.positiontup or ())
    for name in names:
        if compiled.binds[name].type.dialect_impl(DIALECT).bind_processor(DIALECT) is not None:
            raise TypeError(f"parameter {name!r} needs a bind processor")
    for column in stmt.selected_columns:
        if column.type.dialect_impl(DIALECT).result_processor(DIALECT, None) is not None:
            raise TypeError(f"column {column.key!r} needs a result processor")
    variable_names = frozenset(variables)
    constants = {k: v for k, v in compiled.params.items() if k not in variable_names}
    return CompiledSQL(str(compiled), names, variable_names, constants)
