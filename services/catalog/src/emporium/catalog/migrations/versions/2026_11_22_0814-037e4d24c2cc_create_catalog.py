"""Create the catalog: categories, products (with search and listing indexes), reservations.

Revision ID: 037e4d24c2cc
Revises:
Create Date: 2026-11-22 08:14:00.368789+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "037e4d24c2cc"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "category",
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
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
            "slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f("ck_category_slug_format")
        ),
        sa.CheckConstraint("length(btrim(name)) > 0", name=op.f("ck_category_name_not_blank")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_category")),
        sa.UniqueConstraint("slug", name=op.f("uq_category_slug")),
    )
    op.create_table(
        "reservation",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "confirmed",
                "released",
                "expired",
                name="reservation_status",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reservation")),
        sa.UniqueConstraint("order_id", name=op.f("uq_reservation_order_id")),
    )
    op.create_index(
        "ix_reservation_pending_expires_at",
        "reservation",
        ["expires_at"],
        unique=False,
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_table(
        "product",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("stock", sa.Integer(), server_default="0", nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "search",
            postgresql.TSVECTOR(),
            sa.Computed(
                "setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B')",
                persisted=True,
            ),
            nullable=False,
        ),
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
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_product_currency_iso4217")),
        sa.CheckConstraint("length(btrim(name)) > 0", name=op.f("ck_product_name_not_blank")),
        sa.CheckConstraint("length(btrim(sku)) > 0", name=op.f("ck_product_sku_not_blank")),
        sa.CheckConstraint("price_cents >= 0", name=op.f("ck_product_price_cents_non_negative")),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_product_stock_non_negative")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_product_version_positive")),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["category.id"],
            name=op.f("fk_product_category_id_category"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product")),
        sa.UniqueConstraint("sku", name=op.f("uq_product_sku")),
    )
    op.create_index(
        "ix_product_active_category_name",
        "product",
        ["category_id", "name", "id"],
        unique=False,
        postgresql_where=sa.text("active"),
    )
    op.create_index(
        "ix_product_active_category_newest",
        "product",
        ["category_id", "created_at", "id"],
        unique=False,
        postgresql_where=sa.text("active"),
    )
    op.create_index(
        "ix_product_active_category_price",
        "product",
        ["category_id", "price_cents", "id"],
        unique=False,
        postgresql_where=sa.text("active"),
    )
    op.create_index(
        "ix_product_active_name",
        "product",
        ["name", "id"],
        unique=False,
        postgresql_where=sa.text("active"),
    )
    op.create_index(
        "ix_product_active_newest",
        "product",
        ["created_at", "id"],
        unique=False,
        postgresql_where=sa.text("active"),
    )
    op.create_index(
        "ix_product_active_price",
        "product",
        ["price_cents", "id"],
        unique=False,
        postgresql_where=sa.text("active"),
    )
    op.create_index(op.f("ix_product_category_id"), "product", ["category_id"], unique=False)
    op.create_index(
        "ix_product_search", "product", ["search"], unique=False, postgresql_using="gin"
    )
    op.create_table(
        "reservation_item",
        sa.Column("reservation_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.CheckConstraint(
            "currency ~ '^[A-Z]{3}$'", name=op.f("ck_reservation_item_currency_iso4217")
        ),
        sa.CheckConstraint("position >= 0", name=op.f("ck_reservation_item_position_non_negative")),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_reservation_item_quantity_positive")),
        sa.CheckConstraint(
            "unit_price_cents >= 0", name=op.f("ck_reservation_item_unit_price_cents_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_reservation_item_product_id_product"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["reservation_id"],
            ["reservation.id"],
            name=op.f("fk_reservation_item_reservation_id_reservation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("reservation_id", "product_id", name=op.f("pk_reservation_item")),
    )
    op.create_index(
        op.f("ix_reservation_item_product_id"), "reservation_item", ["product_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_reservation_item_product_id"), table_name="reservation_item")
    op.drop_table("reservation_item")
    op.drop_index("ix_product_search", table_name="product", postgresql_using="gin")
    op.drop_index(op.f("ix_product_category_id"), table_name="product")
    op.drop_index(
        "ix_product_active_price", table_name="product", postgresql_where=sa.text("active")
    )
    op.drop_index(
        "ix_product_active_newest", table_name="product", postgresql_where=sa.text("active")
    )
    op.drop_index(
        "ix_product_active_name", table_name="product", postgresql_where=sa.text("active")
    )
    op.drop_index(
        "ix_product_active_category_price", table_name="product", postgresql_where=sa.text("active")
    )
    op.drop_index(
        "ix_product_active_category_newest",
        table_name="product",
        postgresql_where=sa.text("active"),
    )
    op.drop_index(
        "ix_product_active_category_name", table_name="product", postgresql_where=sa.text("active")
    )
    op.drop_table("product")
    op.drop_index(
        "ix_reservation_pending_expires_at",
        table_name="reservation",
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.drop_table("reservation")
    op.drop_table("category")
