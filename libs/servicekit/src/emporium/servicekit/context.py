"""Per-request context (request id, trace parent) carried in context variables."""

from __future__ import annotations

import re
import secrets
import uuid
from contextvars import ContextVar

from opentelemetry import trace

REQUEST_ID_HEADER = "x-request-id"
TRACEPARENT_HEADER = "traceparent"

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_traceparent: ContextVar[str | None] = ContextVar("traceparent", default=None)

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_TRACEPARENT_RE = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


def current_request_id() -> str | None:
    """The request id of the request being handled, if any."""
    return _request_id.get()


def current_traceparent() -> str | None:
    """The W3C traceparent to send on outgoing calls, if any."""
    return _traceparent.get()


def current_trace_ids() -> tuple[str | None, str | None]:
    """The trace id and span id to log: the active span's, else this hop's `traceparent`."""
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        return format(context.trace_id, "032x"), format(context.span_id, "016x")
    traceparent = _traceparent.get()
    if traceparent is None:
        return None, None
    return traceparent[3:35], traceparent[36:52]


def set_request_context(request_id: str, traceparent: str | None) -> None:
    """Bind the request id and trace parent to the current task."""
    _request_id.set(request_id)
    _traceparent.set(traceparent)


def accept_request_id(value: str | None) -> str:
    """Keep a well-formed incoming request id, otherwise make a new one."""
    if value and _REQUEST_ID_RE.match(value):
        return value
    return uuid.uuid4().hex


def child_traceparent(value: str | None) -> str:
    """A traceparent for this hop: same trace id, new span id (a new trace if absent)."""
    match = _TRACEPARENT_RE.match(value or "")
    if match and match.group(1) != "0" * 32:
        return f"00-{match.group(1)}-{secrets.token_hex(8)}-{match.group(3)}"
    ids = secrets.token_hex(24)  # trace id and span id from one read of the OS's randomness
    return f"00-{ids[:32]}-{ids[32:]}-01"


def propagation_headers() -> dict[str, str]:
    """Headers that carry the current request id and trace to another service."""
    headers: dict[str, str] = {}
    request_id = current_request_id()
    if request_id:
        headers["X-Request-ID"] = request_id
    traceparent = current_traceparent()
    if traceparent:
        headers["traceparent"] = traceparent
    return headers
