"""token generations per account and revoked access tokens

Revision ID: a41d7e2b9c63
Revises: 7c3f1a9e5d20
Create Date: 2026-12-01 22:30:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a41d7e2b9c63"
down_revision: str | None = "7c3f1a9e5d20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "user_account",
        sa.Column("token_generation", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column(
        "user_account", sa.Column("tokens_retired_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_table(
        "revoked_access_token",
        sa.Column("jti_digest", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("jti_digest", name=op.f("pk_revoked_access_token")),
    )
    op.create_index(
        op.f("ix_revoked_access_token_expires_at"), "revoked_access_token", ["expires_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_revoked_access_token_expires_at"), table_name="revoked_access_token")
    op.drop_table("revoked_access_token")
    op.drop_column("user_account", "tokens_retired_at")
    op.drop_column("user_account", "token_generation")
