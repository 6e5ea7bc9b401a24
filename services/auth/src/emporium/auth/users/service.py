"""Accounts: registration, lookup, administration and the first-admin bootstrap."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from emporium.auth.passwords import PasswordHasher
from emporium.auth.revocations.service import retire_tokens
from emporium.auth.tokens.models import RefreshToken
from emporium.auth.users.models import User
from emporium.auth.users.roles import ADMIN_SCOPE, scopes_for_roles
from emporium.auth.users.schemas import UserCreate, UserUpdate
from emporium.servicekit.cursors import decode_cursor, encode_cursor
from emporium.servicekit.errors import Conflict, Forbidden, NotFound
from emporium.servicekit.tokens import Principal

logger = logging.getLogger("emporium.auth.users")


def normalise_email(email: str) -> str:
    """Emails are compared and stored trimmed and in lower case."""
    return email.strip().lower()


REGISTRATION_FOR_EXISTING_ACCOUNT = "account.registration_for_existing_account"
"""The event logged when someone registers an email that has an account (its owner's cue)."""


async def register(data: UserCreate, *, session: AsyncSession, passwords: PasswordHasher) -> None:
    """Create a customer account unless the email has one; the caller learns neither way.

    The password is hashed in both cases (on the same bounded pool), so the answer takes as
    long for a taken email as for a new one. A taken email is recorded as an event for the
    account's owner (a structured log line: the mail step's cue), never told to the caller.
    """
    email = normalise_email(data.email)
    password_hash = await passwords.hash(data.password)
    existing = await get_by_email(email, session=session)
    if existing is None:
        user = User(
            email=email,
            full_name=data.full_name,
            password_hash=password_hash,
            roles=["customer"],
        )
        try:
            async with session.begin_nested():  # a concurrent registration may win the race
                session.add(user)
            logger.info("created account %s with roles %s", user.id, user.roles)
            return
        except IntegrityError:
            existing = await get_by_email(email, session=session)
    logger.info(
        "registration attempted for the existing account %s",
        existing.id if existing is not None else None,
        extra={
            "event": REGISTRATION_FOR_EXISTING_ACCOUNT,
            "user_id": str(existing.id) if existing is not None else None,
        },
    )


async def create_account(
    data: UserCreate, roles: Sequence[str], *, session: AsyncSession, passwords: PasswordHasher
) -> User:
    """Create an account with `roles`; a taken email is a Conflict."""
    email = normalise_email(data.email)
    if await get_by_email(email, session=session) is not None:
        raise Conflict(f"An account with the email {email} already exists.")
    user = User(
        email=email,
        full_name=data.full_name,
        password_hash=await passwords.hash(data.password),
        roles=sorted(set(roles)),
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent registration won the race
        raise Conflict(f"An account with the email {email} already exists.") from exc
    logger.info("created account %s with roles %s", user.id, user.roles)
    return user


async def get_by_email(email: str, *, session: AsyncSession) -> User | None:
    """The account with this (normalised) email, if any."""
    return await session.scalar(select(User).where(User.email == normalise_email(email)))


async def get_user(user_id: uuid.UUID, *, session: AsyncSession) -> User:
    """The account with this id, or NotFound."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"No account with id {user_id}.")
    return user


async def get_me(principal: Principal, *, session: AsyncSession) -> User:
    """The signed-in person's account (service clients have none)."""
    if principal.is_client:
        raise Forbidden("Service clients have no account.")
    try:
        user_id = uuid.UUID(principal.subject)
    except ValueError:
        raise NotFound("The token's subject is not an account.") from None
    user = await get_user(user_id, session=session)
    if not user.active:
        raise Forbidden("This account is deactivated.")
    return user


async def list_users(
    *, session: AsyncSession, limit: int, cursor: str | None
) -> tuple[Sequence[User], str | None]:
    """One page of accounts, newest first, and the cursor of the next page."""
    stmt = select(User).order_by(User.created_at.desc(), User.id.desc()).limit(limit + 1)
    if cursor:
        created_at, user_id = decode_cursor(cursor, (datetime, uuid.UUID))
        stmt = stmt.where(tuple_(User.created_at, User.id) < tuple_(created_at, user_id))
    rows = (await session.scalars(stmt)).all()
    if len(rows) > limit:
        return rows[:limit], encode_cursor(rows[limit - 1].created_at, rows[limit - 1].id)
    return rows, None


async def update_user(
    user: User, changes: UserUpdate, *, actor: Principal, session: AsyncSession
) -> User:
    """Change roles, name or active flag; an admin cannot lock themselves out."""
    is_self = str(user.id) == actor.subject
    retire = False
    if changes.roles is not None:
        roles: list[str] = sorted(set(changes.roles))
        if is_self and ADMIN_SCOPE not in scopes_for_roles(roles):
            raise Conflict("You cannot remove your own administrator role.")
        retire = roles != sorted(set(user.roles))
        user.roles = roles
    if changes.full_name is not None:
        user.full_name = changes.full_name
    if changes.active is not None and changes.active != user.active:
        if is_self and not changes.active:
            raise Conflict("You cannot deactivate your own account.")
        user.active = changes.active
        if not user.active:
            retire = True
            await revoke_all_refresh_tokens(user.id, session=session)
    await session.flush()
    if retire:  # the tokens issued so far carry the old roles or a now inactive account
        await retire_tokens(user, session=session)
    await session.refresh(user)
    logger.info("account %s updated by %s", user.id, actor.subject)
    return user


async def revoke_all_refresh_tokens(user_id: uuid.UUID, *, session: AsyncSession) -> None:
    """Revoke every refresh token the account holds."""
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )


async def ensure_admin(
    email: str,
    password: str,
    full_name: str,
    *,
    session: AsyncSession,
    passwords: PasswordHasher,
) -> bool:
    """Create the first administrator unless the email is taken; True when created."""
    email = normalise_email(email)
    if await get_by_email(email, session=session) is not None:
        return False
    stmt = (
        insert(User)
        .values(
            id=uuid.uuid4(),
            email=email,
            full_name=full_name,
            password_hash=await passwords.hash(password),
            roles=["admin"],
            active=True,
        )
        .on_conflict_do_nothing(index_elements=[User.email])
        .returning(User.id)
    )
    created = await session.scalar(stmt)
    if created is not None:
        logger.info("created the first administrator account %s (%s)", created, email)
    return created is not None
