"""The stock-release outbox table."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Mapped, mapped_column

from emporium.orders.database import Base
from emporium.servicekit.db import TimestampMixin


class StockRelease(TimestampMixin, Base):
    """A cancelled order's reservation whose stock the catalog has not yet taken back."""

    __tablename__ = "stock_release"

    reservation_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    order_id: Mapped[uuid.UUID]
