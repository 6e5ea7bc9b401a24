"""Readiness of the gateway: every upstream's own `/readyz`, asked concurrently."""

from __future__ import annotations

from collections.abc import Mapping

import aiohttp
from fastapi import FastAPI

from emporium.gateway.docs.registry import SpecRegistry
from emporium.gateway.upstream import UpstreamRuntime
from emporium.servicekit.health import ReadinessCheck


class UpstreamNotReady(Exception):
    """The upstream answered its readiness probe with something other than 200."""


def upstream_checks(
    upstreams: Mapping[str, UpstreamRuntime], timeout: float
) -> dict[str, ReadinessCheck]:
    """One readiness check per upstream, named after it."""
    client_timeout = aiohttp.ClientTimeout(total=timeout)

    def check_for(upstream: UpstreamRuntime) -> ReadinessCheck:
        async def check(app: FastAPI) -> None:
            session: aiohttp.ClientSession = app.state.upstream_session
            async with session.get(
                f"{upstream.base_url}/readyz", timeout=client_timeout, allow_redirects=False
            ) as response:
                await response.read()
                if response.status != 200:
                    raise UpstreamNotReady(f"status {response.status}")
            registry: SpecRegistry | None = getattr(app.state, "spec_registry", None)
            if registry is not None and not registry.docs[upstream.name].available:
                # Ready but not documented yet (it came up after the gateway): document it
                # now, so a gateway that reports ready serves the docs of every ready service.
                await registry.refresh([upstream.name])

        return check

    return {name: check_for(u) for name, u in upstreams.items()}
