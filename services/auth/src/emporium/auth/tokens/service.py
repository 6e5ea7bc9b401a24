"""The grants of the token endpoint (RFC 6749 §4.3, §4.4, §6) and revocation (RFC 7009)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from emporium.auth.keys.service import KeyRing
from emporium.auth.passwords import PasswordHasher
from emporium.auth.revocations.service import revoke_access_token
from emporium.auth.settings import AuthSettings
from emporium.auth.tokens.clients import (
    Client,
    ClientRegistry,
    PresentedClient,
    presented_credentials,
)
from emporium.auth.tokens.exceptions import (
    OAuthError,
    invalid_client,
    invalid_grant,
    invalid_request,
    too_many_attempts,
)
from emporium.auth.tokens.issuing import (
    IssuedTokens,
    access_token,
    format_scope,
    hash_token,
    narrow,
    new_refresh_token,
    requested_scopes,
)
from emporium.auth.tokens.models import RefreshToken
from emporium.auth.tokens.schemas import RevokeForm, TokenForm
from emporium.auth.tokens.throttle import Throttle
from emporium.auth.users.models import User
from emporium.auth.users.roles import scopes_for_roles
from emporium.auth.users.service import get_by_email

logger = logging.getLogger("emporium.auth.tokens")

BAD_CREDENTIALS = "The email or password is wrong."


@dataclass(frozen=True, slots=True)
class TokenContext:
    """What the grants need besides the form and the session."""

    settings: AuthSettings
    keyring: KeyRing
    clients: ClientRegistry
    throttle: Throttle
    passwords: PasswordHasher
    address: str
    authorization: str | None


async def exchange(form: TokenForm, *, ctx: TokenContext, session: AsyncSession) -> IssuedTokens:
    """Run the grant named by `grant_type`; failures raise OAuthError."""
    if not form.grant_type:
        raise invalid_request("grant_type is required.")
    credentials = presented_credentials(ctx.authorization, form.client_id, form.client_secret)
    if form.grant_type == "password":
        await _optional_client(credentials, ctx=ctx, session=session)
        return await _password_grant(form, ctx=ctx, session=session)
    if form.grant_type == "refresh_token":
        await _optional_client(credentials, ctx=ctx, session=session)
        return await _refresh_grant(form, ctx=ctx, session=session)
    if form.grant_type == "client_credentials":
        if credentials is None:
            raise invalid_client("Client authentication is required for this grant.")
        client = await _authenticate_client(credentials, ctx=ctx, session=session)
        return _client_credentials_grant(form, client, ctx=ctx)
    raise OAuthError(
        "unsupported_grant_type", f"The grant type {form.grant_type!r} is not supported."
    )


async def revoke(form: RevokeForm, *, ctx: TokenContext, session: AsyncSession) -> None:
    """Revoke a refresh token (and its family) or an access token; others are ignored (§2.2)."""
    credentials = presented_credentials(ctx.authorization, form.client_id, form.client_secret)
    await _optional_client(credentials, ctx=ctx, session=session)
    if not form.token:
        raise invalid_request("token is required.")
    row = await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == hash_token(form.token))
    )
    if row is not None:
        await _revoke_family(row.family_id, session=session)
        logger.info("refresh token family %s revoked on request", row.family_id)
        return
    await revoke_access_token(
        form.token, keyring=ctx.keyring, settings=ctx.settings, session=session
    )


async def _optional_client(
    credentials: PresentedClient | None, *, ctx: TokenContext, session: AsyncSession
) -> Client | None:
    """Public clients may send only a client_id; secrets that are sent must be right."""
    if credentials is None:
        return None
    if credentials.secret is None and credentials.client_id not in ctx.clients:
        return None
    return await _authenticate_client(credentials, ctx=ctx, session=session)


async def _refuse_if_blocked(keys: list[str], *, ctx: TokenContext, session: AsyncSession) -> None:
    wait = await ctx.throttle.blocked_for(keys, session=session)
    if wait is not None:
        raise too_many_attempts(wait)


async def _authenticate_client(
    credentials: PresentedClient, *, ctx: TokenContext, session: AsyncSession
) -> Client:
    # Per address only: a per-client lock-out would let anyone stop a service's sign-in,
    # and client secrets are long random strings that cannot be guessed anyway.
    keys = [f"addr:{ctx.address}"]
    await _refuse_if_blocked(keys, ctx=ctx, session=session)
    client = await ctx.clients.authenticate(credentials, ctx.passwords)
    if client is None:
        await ctx.throttle.record_failure(keys, session=session)
        logger.warning("client authentication failed for %r", credentials.client_id)
        raise invalid_client()
    return client


async def _password_grant(
    form: TokenForm, *, ctx: TokenContext, session: AsyncSession
) -> IssuedTokens:
    if not form.username or not form.password:
        raise invalid_request("username and password are required.")
    requested = requested_scopes(form.scope)
    email = form.username.strip().lower()
    # (account, address), not the account alone: a stranger's guesses must not lock the owner out.
    pair_key = f"pair:{email}|{ctx.address}"
    keys = [pair_key, f"addr:{ctx.address}"]
    await _refuse_if_blocked(keys, ctx=ctx, session=session)
    user = await get_by_email(email, session=session)
    if not await ctx.passwords.verify(form.password, user.password_hash if user else None):
        await ctx.throttle.record_failure(keys, session=session)
        logger.info("failed sign-in for a user from %s", ctx.address)
        raise invalid_grant(BAD_CREDENTIALS)
    assert user is not None
    if not user.active:
        raise invalid_grant("This account is deactivated.")
    await ctx.throttle.clear(pair_key, session=session)
    scopes = narrow(requested, scopes_for_roles(user.roles))
    return await _issue_for_user(user, scopes, uuid.uuid4(), ctx=ctx, session=session)


async def _refresh_grant(
    form: TokenForm, *, ctx: TokenContext, session: AsyncSession
) -> IssuedTokens:
    if not form.refresh_token:
        raise invalid_request("refresh_token is required.")
    requested = requested_scopes(form.scope)
    row = await session.scalar(
        select(RefreshToken)
        .where(RefreshToken.token_hash == hash_token(form.refresh_token))
        .with_for_update()
    )
    if row is None or row.revoked_at is not None:
        raise invalid_grant("The refresh token is invalid or revoked.")
    if row.used_at is not None:
        await _revoke_family(row.family_id, session=session)
        logger.warning(
            "refresh token reuse detected: family %s of user %s revoked", row.family_id, row.user_id
        )
        raise invalid_grant("The refresh token was already used; the session is revoked.")
    if row.expires_at <= datetime.now(UTC):
        raise invalid_grant("The refresh token has expired.")
    user = await session.get(User, row.user_id)
    if user is None or not user.active:
        await _revoke_family(row.family_id, session=session)
        raise invalid_grant("The account is deactivated.")
    granted = frozenset(row.scope.split()) & scopes_for_roles(user.roles)
    scopes = narrow(requested, granted)
    row.used_at = datetime.now(UTC)
    return await _issue_for_user(
        user, scopes, row.family_id, ctx=ctx, session=session, family_scopes=granted
    )


def _client_credentials_grant(
    form: TokenForm, client: Client, *, ctx: TokenContext
) -> IssuedTokens:
    scopes = narrow(requested_scopes(form.scope), client.scopes)
    token = access_token(
        ctx.keyring,
        ctx.settings,
        subject=client.client_id,
        scopes=scopes,
        client_id=client.client_id,
    )
    logger.info("issued a client token to %s", client.client_id)
    return IssuedTokens(token, ctx.settings.access_token_ttl, format_scope(scopes))


async def _issue_for_user(
    user: User,
    scopes: frozenset[str],
    family_id: uuid.UUID,
    *,
    ctx: TokenContext,
    session: AsyncSession,
    family_scopes: frozenset[str] | None = None,
) -> IssuedTokens:
    """An access token for `scopes` plus a new refresh token in `family_id`.

    The refresh token keeps the family's scopes (RFC 6749 §6: narrowing a refresh
    narrows only the access token).
    """
    refresh, refresh_hash = new_refresh_token()
    session.add(
        RefreshToken(
            token_hash=refresh_hash,
            family_id=family_id,
            user_id=user.id,
            scope=format_scope(scopes if family_scopes is None else family_scopes),
            expires_at=datetime.now(UTC) + timedelta(seconds=ctx.settings.refresh_token_ttl),
        )
    )
    await session.flush()
    token = access_token(
        ctx.keyring,
        ctx.settings,
        subject=str(user.id),
        scopes=scopes,
        generation=user.token_generation,
    )
    return IssuedTokens(token, ctx.settings.access_token_ttl, format_scope(scopes), refresh)


async def _revoke_family(family_id: uuid.UUID, *, session: AsyncSession) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )
