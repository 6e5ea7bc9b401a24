"""store pending orders before the catalog prices them (one catalog call per order)

A pending order holds what was asked for (lines with product and quantity); the catalog's
answer fills in the total, currency, reservation and each line's sku, name and price when
the order is confirmed.

Revision ID: 8c3f1a2b7d65
Revises: 5b0e2c7d9a41
Create Date: 2026-12-01 21:40:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "8c3f1a2b7d65"
down_revision: str | None = "5b0e2c7d9a41"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRICED = "status = 'pending' OR (total_cents IS NOT NULL AND currency IS NOT NULL AND reservation_id IS NOT NULL)"


def upgrade() -> None:
    for column in ("total_cents", "currency", "reservation_id"):
        op.alter_column("customer_order", column, nullable=True)
    op.create_check_constraint(
        op.f("ck_customer_order_priced_unless_pending"), "customer_order", PRICED
    )
    for column in ("sku", "name", "unit_price_cents"):
        op.alter_column("order_line", column, nullable=True)


def downgrade() -> None:
    # Pending orders cannot be kept without their prices: they are dropped (their keys reopen).
    op.execute(
        "UPDATE idempotency_record SET state = 'failed', locked_until = now() "
        "WHERE state = 'processing' AND order_id IN "
        "(SELECT id FROM customer_order WHERE status = 'pending' AND reservation_id IS NULL)"
    )
    op.execute("DELETE FROM customer_order WHERE status = 'pending' AND reservation_id IS NULL")
    op.drop_constraint(
        op.f("ck_customer_order_priced_unless_pending"), "customer_order", type_="check"
    )
    for column in ("total_cents", "currency", "reservation_id"):
        op.alter_column("customer_order", column, nullable=False)
    for column in ("sku", "name", "unit_price_cents"):
        op.alter_column("order_line", column, nullable=False)
