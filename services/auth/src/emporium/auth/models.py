"""Every auth table, imported so that `Base.metadata` knows them all."""

from emporium.auth.database import Base
from emporium.auth.revocations.models import RevokedAccessToken
from emporium.auth.tokens.models import LoginThrottle, RefreshToken
from emporium.auth.users.models import User

__all__ = ["Base", "LoginThrottle", "RefreshToken", "RevokedAccessToken", "User"]
