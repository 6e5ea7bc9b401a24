"""a reservation belongs to the client that made it (reservation.client_id)

Reservations made before this revision were made by the orders service, the one client
holding `catalog:reserve`: they are given to the client id `orders` (the default
ORDERS_CLIENT_ID).

Revision ID: 4b9e6d2a1c73
Revises: 037e4d24c2cc
Create Date: 2026-12-02 00:40:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4b9e6d2a1c73"
down_revision: str | None = "037e4d24c2cc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "reservation",
        sa.Column("client_id", sa.String(length=200), nullable=False, server_default="orders"),
    )
    op.alter_column("reservation", "client_id", server_default=None)


def downgrade() -> None:
    op.drop_column("reservation", "client_id")
