"""Alembic environment of the auth."""

from emporium.auth.models import Base
from emporium.servicekit.migrations import run_env

run_env(Base.metadata)
