"""Password hashing (argon2 through passlib), always off the event loop."""

from __future__ import annotations

from passlib.context import CryptContext
from starlette.concurrency import run_in_threadpool

_context = CryptContext(schemes=["argon2"], deprecated="auto")

# Verified when the account does not exist, so a miss costs as much as a wrong password.
_DUMMY_HASH = _context.hash("emporium-timing-equaliser")


async def hash_password(password: str) -> str:
    """The argon2 hash of `password`."""
    return await run_in_threadpool(_context.hash, password)


async def verify_password(password: str, password_hash: str | None) -> bool:
    """True when `password` matches; with no hash, spend the same time and return False."""
    if password_hash is None:
        await run_in_threadpool(_context.verify, password, _DUMMY_HASH)
        return False
    return await run_in_threadpool(_context.verify, password, password_hash)
