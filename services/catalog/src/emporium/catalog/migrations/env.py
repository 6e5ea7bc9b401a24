"""Alembic environment of the catalog."""

from emporium.catalog.models import Base
from emporium.servicekit.migrations import run_env

run_env(Base.metadata)
