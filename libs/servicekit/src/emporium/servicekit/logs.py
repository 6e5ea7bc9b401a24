"""JSON log lines that carry the request id, trace id and span id."""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

from emporium.servicekit.context import current_request_id, current_trace_ids

_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
# One encoder for every line: `json.dumps(..., default=str)` would build a new one each call.
_ENCODE = json.JSONEncoder(default=str).encode


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object per line."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service
        self._second: tuple[int, str] = (-1, "")

    def timestamp(self, created: float) -> str:
        """ISO 8601 UTC with milliseconds; the seconds part is formatted once per second."""
        whole = int(created)
        second, prefix = self._second
        if whole != second:
            prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))
            self._second = (whole, prefix)
        return f"{prefix}.{int((created - whole) * 1000):03d}+00:00"

    def format(self, record: logging.LogRecord) -> str:
        """Render the record, its extras, the current request id and trace."""
        trace_id, span_id = current_trace_ids()
        line: dict[str, Any] = {
            "ts": self.timestamp(record.created),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": current_request_id(),
            "trace_id": trace_id,
            "span_id": span_id,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return _ENCODE(line)


class _PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        record.request_id = current_request_id() or "-"
        record.trace_id = current_trace_ids()[0] or "-"
        return super().format(record)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg,unused-ignore]
    """Writes to whatever `sys.stderr` is now (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure_logging(service: str, *, level: str = "INFO", json_lines: bool = True) -> None:
    """Send every log line (ours and uvicorn's) to stderr in one format; idempotent."""
    handler = _StderrHandler()
    if json_lines:
        handler.setFormatter(JsonFormatter(service))
    else:
        handler.setFormatter(
            _PlainFormatter(
                f"%(asctime)s %(levelname)s {service} [%(request_id)s %(trace_id)s] %(message)s"
            )
        )
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if not isinstance(h, _StderrHandler)]
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        uv = logging.getLogger(name)
        uv.handlers[:] = []
        uv.propagate = True
    # One access line per request comes from our middleware, with the request id.
    logging.getLogger("uvicorn.access").disabled = True
    # httpx and httpcore log every outgoing call at INFO/DEBUG: a line per call to another
    # service costs more than the call's own bookkeeping, and the callee logs it anyway.
    # Failures still surface: the service client logs them, and they raise.
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
