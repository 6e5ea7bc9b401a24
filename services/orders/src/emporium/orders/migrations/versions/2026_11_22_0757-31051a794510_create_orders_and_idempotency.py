"""create orders, order lines and idempotency records

Revision ID: 31051a794510
Revises:
Create Date: 2026-11-22 07:57:47.266499+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "31051a794510"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_order",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reservation_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
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
        sa.CheckConstraint(
            "currency ~ '^[A-Z]{3}$'", name=op.f("ck_customer_order_currency_iso4217")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'confirmed', 'shipped', 'delivered', 'cancelled')",
            name=op.f("ck_customer_order_status_known"),
        ),
        sa.CheckConstraint(
            "total_cents >= 0", name=op.f("ck_customer_order_total_cents_non_negative")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_order")),
        sa.UniqueConstraint("reservation_id", name=op.f("uq_customer_order_reservation_id")),
    )
    op.create_index(
        "ix_customer_order_created_at", "customer_order", ["created_at", "id"], unique=False
    )
    op.create_index(
        "ix_customer_order_status_created_at",
        "customer_order",
        ["status", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_customer_order_user_id_created_at",
        "customer_order",
        ["user_id", "created_at", "id"],
        unique=False,
    )
    op.create_table(
        "idempotency_record",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
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
        sa.CheckConstraint(
            "(state = 'completed') = (response_status IS NOT NULL AND response_body IS NOT NULL)",
            name=op.f("ck_idempotency_record_response_iff_completed"),
        ),
        sa.CheckConstraint(
            "state IN ('processing', 'failed', 'completed')",
            name=op.f("ck_idempotency_record_state_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_record")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_idempotency_record_user_id_key")),
    )
    op.create_table(
        "order_line",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity BETWEEN 1 AND 100", name=op.f("ck_order_line_quantity_range")),
        sa.CheckConstraint(
            "unit_price_cents >= 0", name=op.f("ck_order_line_unit_price_cents_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["customer_order.id"],
            name=op.f("fk_order_line_order_id_customer_order"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("order_id", "product_id", name=op.f("pk_order_line")),
    )


def downgrade() -> None:
    op.drop_table("order_line")
    op.drop_table("idempotency_record")
    op.drop_index("ix_customer_order_user_id_created_at", table_name="customer_order")
    op.drop_index("ix_customer_order_status_created_at", table_name="customer_order")
    op.drop_index("ix_customer_order_created_at", table_name="customer_order")
    op.drop_table("customer_order")
