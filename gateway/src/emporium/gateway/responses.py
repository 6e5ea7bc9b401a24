"""Raw ASGI responses for the proxy path (problem+json, no framework in between)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.types import Send

from emporium.servicekit.problems import PROBLEM_MEDIA_TYPE, problem_body


async def send_problem(
    send: Send,
    status: int,
    *,
    slug: str,
    detail: str,
    instance: str,
    request_id: str,
    headers: Mapping[str, str] | None = None,
    title: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Send a complete problem+json response."""
    body = json.dumps(
        problem_body(status, detail=detail, title=title, slug=slug, instance=instance, extra=extra)
    ).encode()
    raw = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"x-request-id", request_id.encode()),
    ]
    raw.extend(
        (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()
    )
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body, "more_body": False})
