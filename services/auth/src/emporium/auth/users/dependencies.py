"""Dependency aliases of the users domain."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from emporium.auth.users import service
from emporium.auth.users.models import User
from emporium.auth.users.roles import ADMIN_SCOPE
from emporium.servicekit import Principal, SessionDep, require_scopes

AdminDep = Annotated[Principal, require_scopes(ADMIN_SCOPE)]


async def valid_user_id(user_id: uuid.UUID, session: SessionDep) -> User:
    """The account named in the path, or NotFound."""
    return await service.get_user(user_id, session=session)


UserDep = Annotated[User, Depends(valid_user_id)]
