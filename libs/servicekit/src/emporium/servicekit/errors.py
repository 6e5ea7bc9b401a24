"""Domain exceptions: services raise these, one handler maps them to problem+json."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    status_code: ClassVar[int] = 400
    title: ClassVar[str] = "Bad request"
    slug: ClassVar[str] = "bad-request"

    def __init__(
        self,
        detail: str,
        *,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        problem_slug: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})
        # The problem type answered; another service's more precise type may be passed on.
        self.problem_slug = problem_slug or self.slug


class NotFound(DomainError):
    """The resource does not exist (or is not visible to the caller)."""

    status_code = 404
    title = "Not found"
    slug = "not-found"


class Conflict(DomainError):
    """The request conflicts with the current state of the resource."""

    status_code = 409
    title = "Conflict"
    slug = "conflict"


class InvalidInput(DomainError):
    """The request is well-formed but its content is not acceptable."""

    status_code = 422
    title = "Unprocessable content"
    slug = "invalid-input"


class Unauthorized(DomainError):
    """Authentication is missing or invalid."""

    status_code = 401
    title = "Unauthorized"
    slug = "unauthorized"


class Forbidden(DomainError):
    """The caller is authenticated but not allowed to do this."""

    status_code = 403
    title = "Forbidden"
    slug = "forbidden"


class PreconditionFailed(DomainError):
    """An `If-Match` (or similar) precondition did not hold."""

    status_code = 412
    title = "Precondition failed"
    slug = "precondition-failed"


class TooManyRequests(DomainError):
    """The caller is over a rate limit."""

    status_code = 429
    title = "Too many requests"
    slug = "too-many-requests"


class BadGateway(DomainError):
    """An upstream answered with something unusable."""

    status_code = 502
    title = "Bad gateway"
    slug = "bad-gateway"


class ServiceUnavailable(DomainError):
    """A dependency is down or overloaded; the client may retry later."""

    status_code = 503
    title = "Service unavailable"
    slug = "service-unavailable"
