"""Reservation tables."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emporium.catalog.database import Base
from emporium.servicekit.db import TimestampMixin, UUIDPrimaryKeyMixin, state_enum


class ReservationStatus(enum.StrEnum):
    """Lifecycle of a reservation: pending → confirmed | released | expired."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    RELEASED = "released"
    EXPIRED = "expired"


class Reservation(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """Stock held for one order (at most one reservation per order)."""

    __tablename__ = "reservation"
    __table_args__ = (
        Index(
            "ix_reservation_pending_expires_at",
            "expires_at",
            postgresql_where=text("status = 'pending'"),
        ),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    client_id: Mapped[str] = mapped_column(String(200))
    """The service client that made it (the token's subject): only it may see or change it."""
    status: Mapped[ReservationStatus] = mapped_column(
        state_enum(ReservationStatus, "reservation_status"),
        default=ReservationStatus.PENDING,
    )
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    items: Mapped[list[ReservationItem]] = relationship(
        back_populates="reservation",
        lazy="selectin",
        order_by="ReservationItem.position",
        cascade="all, delete-orphan",
    )


class ReservationItem(Base):
    """One product line of a reservation, with the price it was reserved at."""

    __tablename__ = "reservation_item"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_cents >= 0", name="unit_price_cents_non_negative"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_iso4217"),
        CheckConstraint("position >= 0", name="position_non_negative"),
    )

    reservation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("reservation.id", ondelete="CASCADE"), primary_key=True
    )
    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("product.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    """The line's index in the request (responses keep the caller's order)."""
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    reservation: Mapped[Reservation] = relationship(back_populates="items")
