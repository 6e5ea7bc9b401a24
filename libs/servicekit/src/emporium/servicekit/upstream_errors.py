"""What an upstream's failure means: the domain error for its answer, and whether a request
that failed was ever delivered (a request that never arrived did nothing upstream)."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import httpx

from emporium.servicekit.errors import (
    BadGateway,
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    TooManyRequests,
)
from emporium.servicekit.problems import PROBLEM_TYPE_PREFIX

logger = logging.getLogger("emporium.service_client")

RETRYABLE_STATUSES = frozenset({502, 503, 504})
_PROBLEM_MEMBERS = frozenset({"type", "title", "status", "detail", "instance", "request_id"})
_BY_STATUS: dict[int, type[DomainError]] = {
    404: NotFound,
    409: Conflict,
    410: NotFound,
    412: PreconditionFailed,
    422: InvalidInput,
    429: TooManyRequests,
}

# Raised by httpx's own transport before a byte of the request left this process.
_UNSENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

# The gateway's problem types for a request it did not forward (no connection to the
# service, or its circuit is open): the service did nothing.
_NOT_FORWARDED = frozenset(
    f"{PROBLEM_TYPE_PREFIX}{slug}" for slug in ("upstream-unreachable", "upstream-unavailable")
)


def not_forwarded(response: httpx.Response) -> bool:
    """True when the gateway answered that it did not forward the request to the service."""
    if response.status_code not in (502, 503):
        return False
    if not response.headers.get("content-type", "").startswith("application/problem+json"):
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("type") in _NOT_FORWARDED


def timed_out(exc: BaseException) -> bool:
    """True for a timeout (not retried: the time is spent), false for other failures."""
    cause = exc.__cause__
    if isinstance(cause, aiohttp.ClientError):  # httpx-aiohttp's mapping is coarse
        return isinstance(cause, aiohttp.ServerTimeoutError)
    return isinstance(exc, (httpx.TimeoutException, TimeoutError))


def never_sent(exc: BaseException) -> bool:
    """True only when the request certainly never left (unsure counts as sent)."""
    cause = exc.__cause__
    if isinstance(cause, aiohttp.ClientError):
        # httpx-aiohttp maps any aiohttp connection error (a server hanging up mid-answer
        # too) to ConnectTimeout: only a failure to connect proves nothing was sent.
        return isinstance(cause, aiohttp.ClientConnectorError)
    return isinstance(exc, _UNSENT)


def retry_after(response: httpx.Response) -> int | None:
    """The answer's `Retry-After` in seconds, when it gives a number."""
    value = response.headers.get("Retry-After", "")
    return int(value) if value.isdigit() else None


def extra_members(response: httpx.Response) -> dict[str, Any]:
    """The members of a problem answer beyond RFC 9457's own (e.g. `short_items`)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    if not isinstance(body, dict):
        return {}
    return {k: v for k, v in body.items() if k not in _PROBLEM_MEMBERS}


def upstream_error(service: str, response: httpx.Response) -> DomainError:
    """The domain error that means what the upstream's 4xx answer means.

    401/403 say that *this* service's credentials were refused, which is not the
    caller's fault: they become 502. Other statuses keep their meaning, with the
    upstream's problem type, detail and extra members (e.g. `short_items`) passed through.
    """
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    detail = body.get("detail") if isinstance(body, dict) else None
    if not isinstance(detail, str):
        detail = f"The {service} service answered {status}."
    extra = extra_members(response)
    if status in (401, 403):
        logger.error("%s refused our credentials (%s): %s", service, status, detail)
        return BadGateway(f"The {service} service refused this service's credentials.")
    headers = {}
    if status == 429 and (after := retry_after(response)) is not None:
        headers["Retry-After"] = str(after)
    problem_type = body.get("type") if isinstance(body, dict) else None
    slug = None
    if isinstance(problem_type, str) and problem_type.startswith(PROBLEM_TYPE_PREFIX):
        slug = problem_type.removeprefix(PROBLEM_TYPE_PREFIX)  # one of ours: keep its meaning
    error = _BY_STATUS.get(status, DomainError)
    return error(detail, extra=extra, headers=headers, problem_slug=slug)
