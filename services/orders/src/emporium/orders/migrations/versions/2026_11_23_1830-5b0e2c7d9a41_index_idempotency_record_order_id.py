"""index idempotency records by order id (the pending-order recovery looks them up)

Revision ID: 5b0e2c7d9a41
Revises: 31051a794510
Create Date: 2026-11-23 18:30:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5b0e2c7d9a41"
down_revision: str | None = "31051a794510"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_idempotency_record_order_id"), "idempotency_record", ["order_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_idempotency_record_order_id"), table_name="idempotency_record")
