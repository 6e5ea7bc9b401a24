"""owe stock releases in the cancelling transaction (an outbox the relay settles)

Revision ID: 4e7b9c2d1f80
Revises: 8c3f1a2b7d65
Create Date: 2026-12-02 01:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4e7b9c2d1f80"
down_revision: str | None = "8c3f1a2b7d65"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stock_release",
        sa.Column("reservation_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("reservation_id", name=op.f("pk_stock_release")),
    )


def downgrade() -> None:
    op.drop_table("stock_release")
