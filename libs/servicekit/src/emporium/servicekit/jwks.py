"""Fetch and cache the auth service's JWKS; refetch (rate-limited) on an unknown `kid`."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

import httpx

logger = logging.getLogger("emporium.jwks")


class KeyUnavailable(Exception):
    """No key with that `kid` is known: the token cannot be verified."""


class KeySetUnavailable(Exception):
    """The key set could not be fetched and none is cached: nothing can be verified now."""

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class KeyProvider(Protocol):
    """Something that can give the public JWK for a key id."""

    async def get_key(self, kid: str) -> Mapping[str, Any]:
        """Return the JWK for `kid`; raise KeyUnavailable, or KeySetUnavailable if unreachable."""
        ...


def usable_keys(keys: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """The RSA signature keys of a JWKS by `kid`; anything else (oct, enc, no kid) is dropped."""
    usable: dict[str, dict[str, Any]] = {}
    for key in keys:
        if not isinstance(key, Mapping) or not isinstance(key.get("kid"), str):
            continue
        if key.get("kty") != "RSA" or key.get("use", "sig") != "sig":
            continue
        if key.get("alg", "RS256") != "RS256":
            continue
        usable[key["kid"]] = dict(key)
    return usable


class StaticKeys:
    """A fixed key set (tests, or a service configured with keys directly)."""

    def __init__(self, keys: Iterable[Mapping[str, Any]]) -> None:
        self._keys = usable_keys(keys)

    async def get_key(self, kid: str) -> Mapping[str, Any]:
        """Return the JWK for `kid` or raise KeyUnavailable."""
        try:
            return self._keys[kid]
        except KeyError:
            raise KeyUnavailable(f"unknown key id {kid!r}") from None


class JWKSCache:
    """JWKS keys cached for `ttl`; an unknown kid refetches at most every `min_interval`."""

    def __init__(
        self,
        url: str,
        client: httpx.AsyncClient,
        *,
        ttl: float = 300.0,
        min_interval: float = 5.0,
        on_fetch: Callable[[str], None] | None = None,
    ) -> None:
        self.url = url
        self._on_fetch = on_fetch  # told "success" or "failure" after each fetch (metrics)
        self._client = client
        self._ttl = ttl
        self._min_interval = min_interval
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at = float("-inf")
        self._attempted_at = float("-inf")
        self._lock = asyncio.Lock()
        self.fetches = 0  # successful fetches, for metrics and tests

    async def get_key(self, kid: str) -> Mapping[str, Any]:
        """Return the JWK for `kid`; raise KeyUnavailable, or KeySetUnavailable if unreachable."""
        now = time.monotonic()
        if kid in self._keys and now - self._fetched_at < self._ttl:
            return self._keys[kid]
        await self._refresh(force=kid not in self._keys)
        if not self._keys:
            # Auth is unreachable and nothing is cached: the token may well be valid, so this
            # is the verifier's outage (503), not the client's fault (401).
            wait = self._min_interval - (time.monotonic() - self._attempted_at)
            raise KeySetUnavailable(
                "the signing keys could not be fetched", retry_after=max(1, math.ceil(wait))
            )
        try:
            return self._keys[kid]
        except KeyError:
            raise KeyUnavailable(f"unknown key id {kid!r}") from None

    async def _refresh(self, *, force: bool) -> None:
        async with self._lock:
            now = time.monotonic()
            fresh = now - self._fetched_at < self._ttl
            if (fresh and not force) or now - self._attempted_at < self._min_interval:
                return
            self._attempted_at = now
            try:
                response = await self._client.get(self.url)
                response.raise_for_status()
                keys = response.json()["keys"]
            except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
                logger.warning("could not fetch JWKS from %s: %s", self.url, exc)
                if self._on_fetch is not None:
                    self._on_fetch("failure")
                return
            self._keys = usable_keys(keys)
            self._fetched_at = time.monotonic()
            self.fetches += 1
            if self._on_fetch is not None:
                self._on_fetch("success")
