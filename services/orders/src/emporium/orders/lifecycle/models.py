"""Order and order-line tables."""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emporium.orders.database import Base
from emporium.servicekit.db import TimestampMixin, UUIDPrimaryKeyMixin, state_enum


class OrderStatus(enum.StrEnum):
    """Where an order is in its life."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class Order(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """An order: who placed it, its status, its total and the catalog reservation behind it."""

    __tablename__ = "customer_order"
    __table_args__ = (
        CheckConstraint("total_cents >= 0", name="total_cents_non_negative"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_iso4217"),
        CheckConstraint(
            "status = 'pending' OR (total_cents IS NOT NULL AND currency IS NOT NULL"
            " AND reservation_id IS NOT NULL)",
            name="priced_unless_pending",
        ),
        Index("ix_customer_order_user_id_created_at", "user_id", "created_at", "id"),
        Index("ix_customer_order_created_at", "created_at", "id"),
        Index("ix_customer_order_status_created_at", "status", "created_at", "id"),
    )

    user_id: Mapped[uuid.UUID]
    status: Mapped[OrderStatus] = mapped_column(state_enum(OrderStatus, "order_status"))
    # Filled in from the catalog's answer when the order is confirmed (NULL while pending).
    total_cents: Mapped[int | None] = mapped_column(Integer)
    currency: Mapped[str | None] = mapped_column(String(3))
    reservation_id: Mapped[uuid.UUID | None] = mapped_column(unique=True)
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order",
        lazy="selectin",
        order_by="OrderLine.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class OrderLine(Base):
    """One product of an order and, once confirmed, the sku, name and unit price it sold at."""

    __tablename__ = "order_line"
    __table_args__ = (
        CheckConstraint("quantity BETWEEN 1 AND 100", name="quantity_range"),
        CheckConstraint("unit_price_cents >= 0", name="unit_price_cents_non_negative"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customer_order.id", ondelete="CASCADE"), primary_key=True
    )
    product_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    # The catalog's sku, name and price at sale, filled in when the order is confirmed.
    sku: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))
    unit_price_cents: Mapped[int | None] = mapped_column(Integer)
    order: Mapped[Order] = relationship(back_populates="lines")
