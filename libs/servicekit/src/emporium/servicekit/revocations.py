"""Revoked access tokens and account changes, published by auth and applied by every verifier.

Access tokens are verified locally, so a deactivated account, a demoted member of staff or a
revoked token would otherwise keep working until the token expires. Auth publishes a small
list instead — the access tokens revoked before their expiry, and for each account changed
lately the token generation its tokens must carry at least — and every verifier refreshes
it every few seconds. No call per request; ids appear only as SHA-256 digests.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

logger = logging.getLogger("emporium.revocations")

GENERATION_CLAIM = "gen"


def digest(value: str) -> str:
    """The SHA-256 hex digest under which an id is published."""
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class RevocationList:
    """Digests of revoked token ids, and the least token generation per account digest."""

    access_tokens: frozenset[str] = frozenset()
    subjects: Mapping[str, int] = field(default_factory=dict)

    def revokes(self, claims: Mapping[str, Any]) -> bool:
        """True when these verified claims belong to a revoked token or an older generation."""
        if self.access_tokens and digest(str(claims.get("jti", ""))) in self.access_tokens:
            return True
        if self.subjects:
            least = self.subjects.get(digest(str(claims.get("sub", ""))))
            generation = claims.get(GENERATION_CLAIM, 0)
            if least is not None and (not isinstance(generation, int) or generation < least):
                return True
        return False

    def to_json(self) -> dict[str, Any]:
        """The document auth serves."""
        return {"access_tokens": sorted(self.access_tokens), "subjects": dict(self.subjects)}

    @classmethod
    def from_json(cls, payload: Any) -> RevocationList:
        """Parse the document auth serves; ValueError when it is not one."""
        if not isinstance(payload, Mapping):
            raise ValueError("not an object")
        tokens, subjects = payload.get("access_tokens"), payload.get("subjects")
        if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
            raise ValueError("access_tokens must be a list of strings")
        if not isinstance(subjects, Mapping) or not all(
            isinstance(k, str) and isinstance(v, int) for k, v in subjects.items()
        ):
            raise ValueError("subjects must map strings to integers")
        return cls(frozenset(tokens), dict(subjects))


RevocationSource = Callable[[], Awaitable[RevocationList]]


def http_source(url: str, client: httpx.AsyncClient) -> RevocationSource:
    """Fetch the list auth publishes at `url`."""

    async def fetch() -> RevocationList:
        response = await client.get(url, headers={"Cache-Control": "no-cache"})
        response.raise_for_status()
        return RevocationList.from_json(response.json())

    return fetch


class Revocations:
    """The latest list; a refresh that fails keeps the last one it had."""

    def __init__(self, source: RevocationSource) -> None:
        self._source = source
        self.current = RevocationList()
        self.refreshes = 0
        self._failing = False

    async def refresh(self) -> None:
        """Fetch the list once (the app's lifespan runs this every few seconds)."""
        try:
            self.current = await self._source()
        except Exception as exc:  # any outage of the source: keep the last list, try again
            if not self._failing:  # one warning per outage, not one per round
                logger.warning("could not refresh the revocation list: %s", exc)
            self._failing = True
            return
        if self._failing:
            logger.info("the revocation list is reachable again")
        self._failing = False
        self.refreshes += 1
