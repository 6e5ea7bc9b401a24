"""Access tokens revoked before their expiry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from emporium.auth.database import Base


class RevokedAccessToken(Base):
    """One revoked access token, by the digest of its `jti`, kept until it would expire."""

    __tablename__ = "revoked_access_token"

    jti_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
