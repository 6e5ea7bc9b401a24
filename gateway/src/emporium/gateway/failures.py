"""What the edge answers itself when a request cannot be proxied: one problem per failure."""

from __future__ import annotations

import aiohttp

RETRY_SOON = {"Retry-After": "1"}


class ProxyFailure(Exception):
    """The request could not be proxied; carries the problem to answer with."""

    def __init__(
        self, status: int, slug: str, detail: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.headers = headers or {}


class ClientGone(Exception):
    """The client disconnected while its request body was being read."""


def circuit_open(name: str, retry_after: int) -> ProxyFailure:
    """The 503 failure for an upstream whose circuit breaker is open."""
    return ProxyFailure(
        503,
        "upstream-unavailable",
        f"The {name} service is failing; the gateway stopped calling it briefly.",
        {"Retry-After": str(retry_after)},
    )


def unreachable(name: str) -> ProxyFailure:
    """The 503 failure for an upstream that cannot be connected to (never forwarded)."""
    return ProxyFailure(
        503, "upstream-unreachable", f"The {name} service cannot be reached.", RETRY_SOON
    )


def timed_out(name: str) -> ProxyFailure:
    """The 504 failure for an upstream that did not answer in time."""
    return ProxyFailure(
        504, "upstream-timeout", f"The {name} service did not answer in time.", RETRY_SOON
    )


def disconnected(name: str) -> ProxyFailure:
    """The 503 failure for an upstream that hung up before answering."""
    return ProxyFailure(
        503,
        "upstream-disconnected",
        f"The {name} service closed the connection before answering.",
        RETRY_SOON,
    )


def failed(name: str, exc: aiohttp.ClientError) -> ProxyFailure:
    """The failure for any other client error while talking to the upstream."""
    # A reset or a cut-off body is a service dying mid-answer (down or restarting); anything
    # else is an answer that is not HTTP.
    if isinstance(exc, aiohttp.ClientOSError | aiohttp.ClientPayloadError):
        return disconnected(name)
    return ProxyFailure(502, "bad-gateway", f"The {name} service sent an invalid response.")
