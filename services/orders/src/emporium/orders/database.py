"""The orders's declarative base (its own metadata, the shared naming convention)."""

from __future__ import annotations

import enum

from sqlalchemy import Enum
from sqlalchemy.orm import DeclarativeBase

from emporium.servicekit.db import new_metadata


class Base(DeclarativeBase):
    """Base class of every orders table."""

    metadata = new_metadata()


def state_enum(states: type[enum.StrEnum], name: str) -> Enum:
    """A column type for `states`, stored as the catalog stores its reservation status: a
    VARCHAR(16) holding each member's value, which a CHECK constraint named `name` lists."""
    return Enum(
        states,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [m.value for m in members],
    )
