"""Category table."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from emporium.catalog.database import Base
from emporium.servicekit.db import TimestampMixin, UUIDPrimaryKeyMixin

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class Category(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A named group of products addressed by a unique URL slug."""

    __tablename__ = "category"
    __table_args__ = (
        CheckConstraint(f"slug ~ '{SLUG_PATTERN}'", name="slug_format"),
        CheckConstraint("length(btrim(name)) > 0", name="name_not_blank"),
    )

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
