"""Every orders table, imported so that `Base.metadata` knows them all."""

from emporium.orders.database import Base
from emporium.orders.idempotency.models import IdempotencyRecord
from emporium.orders.lifecycle.models import Order, OrderLine
from emporium.orders.releases.models import StockRelease

__all__ = ["Base", "IdempotencyRecord", "Order", "OrderLine", "StockRelease"]
