"""Product table, its constraints and the indexes behind every filter and sort."""

from __future__ import annotations

import uuid

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Computed,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from emporium.catalog.database import Base
from emporium.servicekit.db import TimestampMixin, UUIDPrimaryKeyMixin

SEARCH_CONFIG = "english"
SEARCH_EXPRESSION = (
    f"setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, coalesce(name, '')), 'A')"
    f" || setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, coalesce(description, '')), 'B')"
)
ACTIVE = text("active")


def _listing_indexes() -> tuple[Index, ...]:
    """Partial btree indexes (WHERE active) matching each keyset sort, with and without category."""
    sort_keys = {"price": "price_cents", "name": "name", "newest": "created_at"}
    indexes: list[Index] = []
    for label, column in sort_keys.items():
        indexes.append(Index(f"ix_product_active_{label}", column, "id", postgresql_where=ACTIVE))
        indexes.append(
            Index(
                f"ix_product_active_category_{label}",
                "category_id",
                column,
                "id",
                postgresql_where=ACTIVE,
            )
        )
    return tuple(indexes)


class Product(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A product with its price in minor units and its stock on hand."""

    __tablename__ = "product"
    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="price_cents_non_negative"),
        CheckConstraint("stock >= 0", name="stock_non_negative"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_iso4217"),
        CheckConstraint("length(btrim(sku)) > 0", name="sku_not_blank"),
        CheckConstraint("length(btrim(name)) > 0", name="name_not_blank"),
        CheckConstraint("version >= 1", name="version_positive"),
        *_listing_indexes(),
        Index("ix_product_search", "search", postgresql_using="gin"),
    )

    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    price_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    category_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("category.id", ondelete="RESTRICT"), index=True
    )
    stock: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Bumped by every change to the row (edits, restocks, reservations); the product's ETag."""
    search: Mapped[str] = mapped_column(
        TSVECTOR, Computed(SEARCH_EXPRESSION, persisted=True), deferred=True
    )
