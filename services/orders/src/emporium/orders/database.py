"""The orders service's declarative base (its own metadata, the shared naming convention)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from emporium.servicekit.db import new_metadata


class Base(DeclarativeBase):
    """Base class of every orders table."""

    metadata = new_metadata()
