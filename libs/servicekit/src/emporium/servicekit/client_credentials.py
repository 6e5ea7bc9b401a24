"""OAuth2 client-credentials tokens for service-to-service calls: fetched once, cached."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from emporium.servicekit.errors import BadGateway, ServiceUnavailable

logger = logging.getLogger("emporium.client_credentials")

RETRY_AFTER_SECONDS = 2


@dataclass(frozen=True, slots=True)
class CachedToken:
    """An access token and the monotonic time after which it must not be used."""

    value: str
    refresh_at: float


class ClientCredentials:
    """A token provider: one fetch at a time, cached until shortly before expiry."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scope: str | None = None,
        timeout: float = 3.0,
        refresh_margin: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self.token_url = token_url
        self.client_id = client_id
        self._secret = client_secret
        self.scope = scope
        self._timeout = timeout
        self._margin = refresh_margin
        self._clock = clock
        self._cached: CachedToken | None = None
        self._lock = asyncio.Lock()
        self.fetches = 0

    def fresh(self) -> str | None:
        """The cached token while it is fresh; None when a call must fetch one (`token`)."""
        cached = self._cached
        if cached is not None and self._clock() < cached.refresh_at:
            return cached.value
        return None

    async def token(self) -> str:
        """A valid access token, fetching a new one only when the cached one is stale."""
        fresh = self.fresh()
        if fresh is not None:
            return fresh
        async with self._lock:
            cached = self._cached
            if cached is not None and self._clock() < cached.refresh_at:
                return cached.value
            self._cached = await self._fetch()
            return self._cached.value

    def invalidate(self, token: str) -> None:
        """Forget `token` (the upstream rejected it); the next call fetches a new one."""
        if self._cached is not None and self._cached.value == token:
            self._cached = None

    async def _fetch(self) -> CachedToken:
        data = {"grant_type": "client_credentials"}
        if self.scope:
            data["scope"] = self.scope
        self.fetches += 1
        try:
            response = await self._http.post(
                self.token_url,
                data=data,
                auth=httpx.BasicAuth(self.client_id, self._secret),
                headers={"Accept": "application/json"},
                timeout=self._timeout,
            )
        except httpx.HTTPError as exc:
            logger.warning("token endpoint %s unreachable: %r", self.token_url, exc)
            raise ServiceUnavailable(
                "The authorization server is unavailable; retry later.",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            ) from exc
        if response.status_code >= 500 or response.status_code == 429:
            logger.warning("token endpoint answered %s", response.status_code)
            raise ServiceUnavailable(
                "The authorization server is unavailable; retry later.",
                headers={
                    "Retry-After": response.headers.get("Retry-After", str(RETRY_AFTER_SECONDS))
                },
            )
        if response.status_code != 200:
            logger.error(
                "token endpoint refused client %s: %s %s",
                self.client_id,
                response.status_code,
                response.text[:200],
            )
            raise BadGateway("This service could not authenticate to the authorization server.")
        return self._parse(response)

    def _parse(self, response: httpx.Response) -> CachedToken:
        try:
            body = response.json()
            value = body["access_token"]
            expires_in = float(body.get("expires_in", 60))
        except (ValueError, KeyError, TypeError) as exc:
            raise BadGateway("The authorization server sent an unusable token response.") from exc
        if not isinstance(value, str) or not value:
            raise BadGateway("The authorization server sent an unusable token response.")
        margin = min(self._margin, expires_in / 2)
        return CachedToken(value, self._clock() + expires_in - margin)
