"""The idempotency record table."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from emporium.orders.database import Base
from emporium.servicekit.db import TimestampMixin, UUIDPrimaryKeyMixin, state_enum


class IdempotencyState(enum.StrEnum):
    """Where a key's request is: in flight (or unknown), failed (free again), or answered."""

    PROCESSING = "processing"
    FAILED = "failed"
    COMPLETED = "completed"


class IdempotencyRecord(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A user's idempotency key, the fingerprint of its request and, once done, the answer."""

    __tablename__ = "idempotency_record"
    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        CheckConstraint(
            "(state = 'completed') = (response_status IS NOT NULL AND response_body IS NOT NULL)",
            name="response_iff_completed",
        ),
    )

    user_id: Mapped[uuid.UUID]
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[IdempotencyState] = mapped_column(
        state_enum(IdempotencyState, "idempotency_state")
    )
    order_id: Mapped[uuid.UUID] = mapped_column(index=True)
    locked_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
