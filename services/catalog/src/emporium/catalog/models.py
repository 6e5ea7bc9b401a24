"""Every catalog table, imported so that `Base.metadata` knows them all."""

from emporium.catalog.categories.models import Category
from emporium.catalog.database import Base
from emporium.catalog.products.models import Product
from emporium.catalog.reservations.models import Reservation, ReservationItem, ReservationStatus

__all__ = ["Base", "Category", "Product", "Reservation", "ReservationItem", "ReservationStatus"]
