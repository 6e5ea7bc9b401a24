"""Account routes: registration, the caller's account, and administration."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from emporium.auth.dependencies import NoStore, PasswordsDep
from emporium.auth.users import service
from emporium.auth.users.dependencies import AdminDep, RegistrationDep, UserDep
from emporium.auth.users.roles import ADMIN_SCOPE
from emporium.auth.users.schemas import (
    RegistrationAccepted,
    UserCreateByAdmin,
    UserPage,
    UserRead,
    UserUpdate,
)
from emporium.servicekit.db import SessionDep
from emporium.servicekit.openapi import id_links, problem_responses
from emporium.servicekit.security import PrincipalDep, require_scopes

router = APIRouter(prefix="/auth", tags=["users"], dependencies=[NoStore])
# From a new account to what an administrator can do with it next (OpenAPI links).
ACCOUNT_LINKS = id_links(
    "user_id", "auth-users-read-user", "auth-users-update-user", "auth-users-deactivate-user"
)
admin_router = APIRouter(
    prefix="/auth/users", tags=["users"], dependencies=[require_scopes(ADMIN_SCOPE), NoStore]
)


REGISTRATION_ACCEPTED = (
    "Registration accepted. If the email had no account, it has one now: sign in with the "
    "password grant at POST /auth/token. If it had one, its owner is told."
)


@router.post(
    "/register",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Register",
    responses=problem_responses(
        429, s429="Too many registrations from this address; retry after `Retry-After` seconds."
    ),
)
async def register(
    data: RegistrationDep, session: SessionDep, passwords: PasswordsDep
) -> RegistrationAccepted:
    """Open a customer account for a new email (a few per address at a time).

    The answer is the same `202` whether or not the email already had an account, and takes
    as long, so it tells no one which emails exist; for a taken email nothing changes and its
    owner is told. Sign in next (`POST /auth/token`); `GET /auth/me` then gives the account.
    """
    await service.register(data, session=session, passwords=passwords)
    return RegistrationAccepted(email=data.email, detail=REGISTRATION_ACCEPTED)


@router.get(
    "/me",
    summary="My account",
    responses=problem_responses(
        403,
        404,
        s403="A service client's token (no account), or a deactivated account.",
        s404="The token's subject is not an account (any more).",
    ),
)
async def me(principal: PrincipalDep, session: SessionDep) -> UserRead:
    """The account the access token was issued to."""
    return UserRead.model_validate(await service.get_me(principal, session=session))


@admin_router.get("", summary="List accounts", responses=problem_responses(422))
async def list_users(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> UserPage:
    """Accounts, newest first, one page at a time."""
    rows, next_cursor = await service.list_users(session=session, limit=limit, cursor=cursor)
    return UserPage(items=[UserRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@admin_router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create an account",
    responses={
        201: {"links": ACCOUNT_LINKS},
        **problem_responses(409, s409="An account with this email exists."),
    },
)
async def create_user(
    data: UserCreateByAdmin, session: SessionDep, passwords: PasswordsDep
) -> UserRead:
    """Open an account with the given roles (staff, say, or customers for a test run)."""
    user = await service.create_account(data, data.roles, session=session, passwords=passwords)
    return UserRead.model_validate(user)


@admin_router.get("/{user_id}", summary="Read an account", responses=problem_responses(404))
async def read_user(user: UserDep) -> UserRead:
    """One account."""
    return UserRead.model_validate(user)


@admin_router.patch(
    "/{user_id}",
    summary="Change an account",
    responses=problem_responses(
        404, 409, s409="An administrator cannot demote or deactivate themselves."
    ),
)
async def update_user(
    user: UserDep, changes: UserUpdate, admin: AdminDep, session: SessionDep
) -> UserRead:
    """Change roles, name or the active flag; deactivating revokes the refresh tokens."""
    updated = await service.update_user(user, changes, actor=admin, session=session)
    return UserRead.model_validate(updated)


@admin_router.post(
    "/{user_id}/deactivate",
    summary="Deactivate an account",
    responses=problem_responses(404, 409, s409="An administrator cannot deactivate themselves."),
)
async def deactivate_user(user: UserDep, admin: AdminDep, session: SessionDep) -> UserRead:
    """Stop the account from signing in or refreshing tokens."""
    changes = UserUpdate(active=False)
    updated = await service.update_user(user, changes, actor=admin, session=session)
    return UserRead.model_validate(updated)
