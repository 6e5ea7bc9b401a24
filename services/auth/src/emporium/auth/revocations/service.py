"""Publish revocations: revoke an access token, retire an account's tokens, build the list."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from jose import jwt
from jose.exceptions import JOSEError
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from emporium.auth.keys.service import KeyRing
from emporium.auth.revocations.models import RevokedAccessToken
from emporium.auth.settings import AuthSettings
from emporium.auth.users.models import User
from emporium.servicekit.revocations import RevocationList, digest
from emporium.servicekit.tokens import ALGORITHMS

logger = logging.getLogger("emporium.auth.revocations")


async def retire_tokens(user: User, *, session: AsyncSession) -> None:
    """Make every access token issued to `user` so far invalid (a new generation)."""
    await session.execute(
        update(User)
        .where(User.id == user.id)
        .values(token_generation=User.token_generation + 1, tokens_retired_at=func.now())
    )
    logger.info("access tokens of account %s retired", user.id)


async def revoke_access_token(
    token: str, *, keyring: KeyRing, settings: AuthSettings, session: AsyncSession
) -> bool:
    """Revoke one of our access tokens until it expires; False when it is not one (or expired)."""
    try:
        claims = jwt.decode(
            token,
            {"keys": keyring.public_jwks()},
            algorithms=ALGORITHMS,
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
        )
    except JOSEError:
        return False
    jti, exp = claims.get("jti"), claims.get("exp")
    if not isinstance(jti, str) or not isinstance(exp, int):
        return False
    await session.execute(
        insert(RevokedAccessToken)
        .values(jti_digest=digest(jti), expires_at=datetime.fromtimestamp(exp, UTC))
        .on_conflict_do_nothing(index_elements=[RevokedAccessToken.jti_digest])
    )
    logger.info("access token %s revoked on request", jti)
    return True


async def revocation_list(*, settings: AuthSettings, session: AsyncSession) -> RevocationList:
    """Everything a verifier must still refuse; older entries concern expired tokens only."""
    tokens = await session.scalars(
        select(RevokedAccessToken.jti_digest).where(RevokedAccessToken.expires_at > func.now())
    )
    horizon = func.now() - timedelta(seconds=settings.access_token_ttl + 60)
    changed = await session.execute(
        select(User.id, User.token_generation).where(User.tokens_retired_at > horizon)
    )
    return RevocationList(
        frozenset(tokens), {digest(str(user_id)): gen for user_id, gen in changed}
    )


async def purge_expired(*, session: AsyncSession) -> None:
    """Forget revoked tokens that have expired anyway."""
    await session.execute(
        delete(RevokedAccessToken).where(RevokedAccessToken.expires_at <= func.now())
    )
