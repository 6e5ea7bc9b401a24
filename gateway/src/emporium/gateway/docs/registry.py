"""Fetch every upstream's OpenAPI document and keep the merged one up to date."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import aiohttp

from emporium.gateway.docs.merge import ServiceDoc, merge
from emporium.gateway.settings import GatewaySettings
from emporium.gateway.upstream import UpstreamRuntime

logger = logging.getLogger("emporium.gateway.docs")

MERGED_TITLE = "Emporium API"


def merged_document(docs: Sequence[ServiceDoc], settings: GatewaySettings) -> dict[str, Any]:
    """The document the gateway serves for these services' documents and its settings."""
    return merge(
        docs,
        title=MERGED_TITLE,
        version=settings.service_version,
        token_path=settings.token_path,
        public_url=settings.public_url,
    )


class SpecRegistry:
    """The services' documents: fetched at start-up, on an interval and when one comes back."""

    def __init__(
        self,
        settings: GatewaySettings,
        upstreams: Mapping[str, UpstreamRuntime],
        session: aiohttp.ClientSession,
    ) -> None:
        self.settings = settings
        self.upstreams = upstreams
        self.session = session
        self.docs = {n: ServiceDoc(n, u.config.prefixes) for n, u in upstreams.items()}
        self._timeout = aiohttp.ClientTimeout(total=settings.readiness_timeout_seconds * 2)
        self._tasks: set[asyncio.Task[None]] = set()
        self._refreshed_all_at = time.monotonic()
        self.merged: dict[str, Any] = {}
        self.merged_json = b"{}"
        self._rebuild()

    async def refresh(self, names: Iterable[str] | None = None) -> None:
        """Fetch the named services' documents (all by default) and re-merge."""
        targets = list(self.docs) if names is None else list(names)
        await asyncio.gather(*(self._fetch(n) for n in targets))
        if names is None:
            self._refreshed_all_at = time.monotonic()
        self._rebuild()

    async def _fetch(self, name: str) -> None:
        doc = self.docs[name]
        url = f"{self.upstreams[name].base_url}/openapi.json"
        try:
            async with self.session.get(url, timeout=self._timeout) as response:
                if response.status != 200:
                    raise ValueError(f"status {response.status}")
                spec = await response.json(content_type=None)
            if not isinstance(spec, dict) or "paths" not in spec:
                raise ValueError("not an OpenAPI document")
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            if doc.available:
                logger.warning("the %s service's OpenAPI is unavailable: %s", name, exc)
            doc.available = False
            doc.error = f"{exc.__class__.__name__}: {exc}"[:200]
            return
        if not doc.available:
            logger.info("documented the %s service", name)
        doc.spec, doc.available, doc.error = spec, True, None

    def _rebuild(self) -> None:
        self.merged = merged_document(list(self.docs.values()), self.settings)
        self.merged_json = json.dumps(self.merged).encode()

    def upstream_recovered(self, name: str) -> None:
        """An upstream answers again (its breaker closed): fetch its document soon."""
        task = asyncio.get_running_loop().create_task(self.refresh([name]))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def refresh_due(self) -> None:
        """Refresh every service once the refresh interval has passed, else the undocumented.

        Run every `openapi_retry_seconds` (a periodic job of the gateway's lifespan).
        """
        if time.monotonic() - self._refreshed_all_at >= self.settings.openapi_refresh_seconds:
            await self.refresh()
            return
        missing = [n for n, d in self.docs.items() if not d.available]
        if missing:
            await self.refresh(missing)

    async def stop(self) -> None:
        """Cancel pending refreshes."""
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
