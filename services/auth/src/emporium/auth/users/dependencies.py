"""Dependency aliases of the users domain."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from emporium.auth.dependencies import ClientAddressDep, SessionmakerDep, ThrottleDep
from emporium.auth.users import service
from emporium.auth.users.models import User
from emporium.auth.users.roles import ADMIN_SCOPE
from emporium.auth.users.schemas import UserCreate
from emporium.servicekit.db import SessionDep
from emporium.servicekit.errors import TooManyRequests
from emporium.servicekit.security import require_scopes
from emporium.servicekit.tokens import Principal

AdminDep = Annotated[Principal, require_scopes(ADMIN_SCOPE)]


async def valid_user_id(user_id: uuid.UUID, session: SessionDep) -> User:
    """The account named in the path, or NotFound."""
    return await service.get_user(user_id, session=session)


UserDep = Annotated[User, Depends(valid_user_id)]


async def rationed_registration(
    data: UserCreate,
    address: ClientAddressDep,
    throttle: ThrottleDep,
    sessionmaker: SessionmakerDep,
) -> UserCreate:
    """A valid registration, counted against its address's ration before any hashing.

    Counted in a transaction of its own, so the count stands whatever the registration does.
    """
    async with sessionmaker() as session, session.begin():
        wait = await throttle.take(f"register:{address}", session=session)
    if wait is not None:
        raise TooManyRequests(
            f"Too many registrations from this address; retry in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )
    return data


RegistrationDep = Annotated[UserCreate, Depends(rationed_registration)]
