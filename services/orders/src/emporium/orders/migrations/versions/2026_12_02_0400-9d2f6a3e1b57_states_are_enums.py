"""the order's status and the idempotency record's state are enums (VARCHAR + CHECK)

Stored as the catalog stores its reservation status: a non-native SQLAlchemy `Enum`, that
is a VARCHAR(16) whose values a CHECK constraint named after the enum lists. The values are
the strings the columns already hold, so every row is kept as it is: only the constraints
that list the allowed values change their names (and now come from the enums).

Revision ID: 9d2f6a3e1b57
Revises: 4e7b9c2d1f80
Create Date: 2026-12-02 04:00:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "9d2f6a3e1b57"
down_revision: str | None = "4e7b9c2d1f80"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORDER_STATUSES = "status IN ('pending', 'confirmed', 'shipped', 'delivered', 'cancelled')"
RECORD_STATES = "state IN ('processing', 'failed', 'completed')"

# (table, constraint before, constraint after, condition): the condition does not change.
RENAMED = [
    ("customer_order", "status_known", "order_status", ORDER_STATUSES),
    ("idempotency_record", "state_known", "idempotency_state", RECORD_STATES),
]


def upgrade() -> None:
    for table, before, after, condition in RENAMED:
        op.drop_constraint(op.f(f"ck_{table}_{before}"), table, type_="check")
        op.create_check_constraint(op.f(f"ck_{table}_{after}"), table, condition)


def downgrade() -> None:
    for table, before, after, condition in RENAMED:
        op.drop_constraint(op.f(f"ck_{table}_{after}"), table, type_="check")
        op.create_check_constraint(op.f(f"ck_{table}_{before}"), table, condition)
