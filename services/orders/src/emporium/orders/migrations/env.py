"""Alembic environment of the orders."""

from emporium.orders.models import Base
from emporium.servicekit.migrations import run_env

run_env(Base.metadata)
