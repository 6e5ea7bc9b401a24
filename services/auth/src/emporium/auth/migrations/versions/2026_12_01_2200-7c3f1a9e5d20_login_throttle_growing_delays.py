"""login_throttle: growing delays per key instead of a fixed window

Revision ID: 7c3f1a9e5d20
Revises: e9ac2b89c862
Create Date: 2026-12-01 22:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c3f1a9e5d20"
down_revision: str | None = "e9ac2b89c862"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Counters are short-lived; the old keys (`user:<email>`) mean nothing to the new rules.
    op.execute("DELETE FROM login_throttle")
    op.alter_column("login_throttle", "window_started_at", new_column_name="last_failure_at")
    op.execute(
        "ALTER INDEX ix_login_throttle_window_started_at "
        "RENAME TO ix_login_throttle_last_failure_at"
    )
    op.add_column(
        "login_throttle", sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.execute("DELETE FROM login_throttle")
    op.drop_column("login_throttle", "blocked_until")
    op.execute(
        "ALTER INDEX ix_login_throttle_last_failure_at "
        "RENAME TO ix_login_throttle_window_started_at"
    )
    op.alter_column("login_throttle", "last_failure_at", new_column_name="window_started_at")
