"""RFC 9457 problem details: one response shape for every error."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from emporium.servicekit.context import current_request_id
from emporium.servicekit.errors import DomainError
from emporium.servicekit.problem_schemas import Location

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:emporium:problem:"

logger = logging.getLogger("emporium.errors")


class ProblemResponse(JSONResponse):
    """A JSON response with the problem+json media type."""

    media_type = PROBLEM_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        """ASCII-only JSON: whatever a client sent, echoing it back cannot fail to encode."""
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode()


def problem_body(
    status: int,
    *,
    detail: str | None = None,
    title: str | None = None,
    slug: str | None = None,
    instance: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Build a problem document; `slug` names the problem type, else `about:blank`."""
    phrase = _phrase(status)
    body: dict[str, Any] = {
        "type": f"{PROBLEM_TYPE_PREFIX}{slug}" if slug else "about:blank",
        "title": title or phrase,
        "status": status,
        "detail": detail or phrase,
    }
    if instance:
        body["instance"] = instance
    request_id = current_request_id()
    if request_id:
        body["request_id"] = request_id
    if extra:
        body.update(extra)
    return body


def problem_response(
    status: int,
    *,
    detail: str | None = None,
    title: str | None = None,
    slug: str | None = None,
    instance: str | None = None,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> ProblemResponse:
    """Build a problem+json response."""
    body = problem_body(
        status, detail=detail, title=title, slug=slug, instance=instance, extra=extra
    )
    return ProblemResponse(body, status_code=status, headers=dict(headers or {}))


def field_error(
    field: str, message: str, *, location: Location, type: str = "value_error"
) -> dict[str, str]:
    """One entry of a problem's `errors` (`FieldError`): what is wrong with which field, where."""
    return {"field": field, "location": location, "message": message, "type": type}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _field_of(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:] or parts
    return ".".join(parts)


async def _domain_error(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, DomainError)
    extra = exc.extra
    if exc.status_code == 422 and "errors" not in extra:
        extra = {**extra, "errors": []}  # every 422 has the validation shape
    return problem_response(
        exc.status_code,
        detail=exc.detail,
        title=exc.title,
        slug=exc.problem_slug,
        instance=request.url.path,
        extra=extra,
        headers=exc.headers,
    )


async def _http_error(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else None
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"No resource at {request.url.path}"
    if exc.status_code == 405:
        detail = f"Method {request.method} is not allowed on {request.url.path}"
    return problem_response(
        exc.status_code,
        detail=detail,
        instance=request.url.path,
        headers=exc.headers,
    )


async def _validation_error(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        field_error(
            _field_of(tuple(err.get("loc", ()))),
            err.get("msg", "invalid"),
            location=cast(Location, str(err["loc"][0]) if err.get("loc") else "body"),
            type=err.get("type", "value_error"),
        )
        for err in exc.errors()
    ]
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return problem_response(
        422,
        title="Request validation failed",
        slug="validation",
        detail=f"The request is not valid: {summary}",
        instance=request.url.path,
        extra={"errors": errors},
    )


def _retry_later(request: Request, slug: str, detail: str) -> ProblemResponse:
    """A 503 the client may retry: a dependency is down or too slow, not the request wrong."""
    return problem_response(
        503, slug=slug, detail=detail, instance=request.url.path, headers={"Retry-After": "2"}
    )


async def _database_unavailable(request: Request, exc: Exception) -> ProblemResponse:
    logger.error("database unavailable: %s", exc.__class__.__name__, exc_info=exc)
    # A cached "ready" from before the outage must not outlive a failure a request has seen.
    readiness = getattr(request.app.state, "readiness", None)
    if readiness is not None:
        readiness.forget()
    return _retry_later(
        request, "dependency-unavailable", "The database is unavailable; retry later."
    )


# SQLSTATEs of a statement cut off by a server-side limit: statement_timeout, lock_timeout.
_TIMED_OUT_SQLSTATES = frozenset({"57014", "55P03"})
# SQLSTATEs of a server that cannot serve us now: shutting down (57P01), after a crash
# (57P02), starting up (57P03); class 08, connection exceptions; and class 53, out of
# resources (53300: too many clients already).
_UNAVAILABLE_SQLSTATES = frozenset({"57P01", "57P02", "57P03"})
_UNAVAILABLE_CLASSES = ("08", "53")
# Class 40, transaction rollback: a serialization failure or a deadlock with a concurrent
# request. Nothing was written and the same request may well succeed when retried.
_ROLLED_BACK_CLASS = "40"


async def _dependency_timeout(request: Request, exc: Exception) -> ProblemResponse:
    logger.error("a dependency did not answer in time: %r", exc)
    return _retry_later(
        request, "dependency-timeout", "A dependency did not answer in time; retry later."
    )


async def _unhandled(request: Request, exc: Exception) -> ProblemResponse:
    logger.exception("unhandled error", exc_info=exc)
    return problem_response(
        500,
        slug="internal",
        detail="An unexpected error occurred; it has been logged.",
        instance=request.url.path,
    )


def _raised_by_database_driver(exc: BaseException) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_globals.get("__name__", "").startswith("asyncpg."):
            return True
        tb = tb.tb_next
    return False


async def _os_error(request: Request, exc: Exception) -> ProblemResponse:
    # A stopped server on a unix socket removes the socket file: connecting to it fails
    # with FileNotFoundError (not ConnectionRefusedError). Any other OSError is a bug.
    if _raised_by_database_driver(exc):
        return await _database_unavailable(request, exc)
    return await _unhandled(request, exc)


async def _dbapi_error(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, DBAPIError)
    if isinstance(exc, IntegrityError):
        # A constraint the service did not anticipate: still the client's conflict, not a 500.
        driver_error = getattr(exc.orig, "__cause__", None) or exc.orig
        constraint = getattr(driver_error, "constraint_name", None) or "a database constraint"
        return problem_response(
            409,
            slug="conflict",
            title="Conflict",
            detail=f"The request conflicts with existing data ({constraint}).",
            instance=request.url.path,
        )
    if exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError):
        return await _database_unavailable(request, exc)
    driver_error = getattr(exc.orig, "__cause__", None) or exc.orig
    sqlstate = str(getattr(driver_error, "sqlstate", None) or "")
    if sqlstate in _UNAVAILABLE_SQLSTATES or sqlstate.startswith(_UNAVAILABLE_CLASSES):
        return await _database_unavailable(request, exc)
    if sqlstate in _TIMED_OUT_SQLSTATES:
        return await _dependency_timeout(request, exc)
    if sqlstate.startswith(_ROLLED_BACK_CLASS):
        logger.error("transaction rolled back (SQLSTATE %s): %s", sqlstate, driver_error)
        return _retry_later(
            request,
            "transaction-conflict",
            "The request collided with a concurrent one and was rolled back; retry it.",
        )
    return await _unhandled(request, exc)


def install_problem_handlers(app: FastAPI) -> None:
    """Map HTTP, validation, domain and dependency errors to problem+json."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(PoolTimeoutError, _database_unavailable)
    app.add_exception_handler(ConnectionError, _database_unavailable)
    # The database's host name does not resolve: a stopped compose service leaves its DNS.
    app.add_exception_handler(socket.gaierror, _database_unavailable)
    # asyncpg's client-side command_timeout surfaces as a bare TimeoutError.
    app.add_exception_handler(TimeoutError, _dependency_timeout)
    app.add_exception_handler(DBAPIError, _dbapi_error)
    app.add_exception_handler(OSError, _os_error)
    app.add_exception_handler(Exception, _unhandled)
