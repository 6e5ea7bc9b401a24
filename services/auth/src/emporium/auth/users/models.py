"""User table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, Integer, String, true
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from emporium.auth.database import Base
from emporium.servicekit.db import TimestampMixin, UUIDPrimaryKeyMixin


class User(UUIDPrimaryKeyMixin, TimestampMixin, Base):
    """A person who can sign in; the email is stored normalised (trimmed, lower case)."""

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint("email = lower(btrim(email))", name="email_normalised"),
        CheckConstraint(
            "roles <@ ARRAY['customer', 'staff', 'admin']::varchar(32)[]", name="known_roles"
        ),
    )

    email: Mapped[str] = mapped_column(String(320), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list, server_default="{}")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Access tokens carry the generation they were issued in (`gen`); a deactivation or a
    # change of roles starts a new one, and verifiers refuse the older tokens.
    token_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    tokens_retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"User(id={self.id!s}, email={self.email!r}, roles={self.roles!r})"
