"""OpenAPI documentation of the problem responses routes can return."""

from __future__ import annotations

from typing import Any

DESCRIPTIONS = {
    401: "No bearer token, or an invalid one.",
    403: "The token lacks the scope this operation needs.",
    404: "No such resource.",
    409: "Conflicts with the current state (e.g. a taken SKU or slug).",
    412: "`If-Match` names a stale version.",
    422: "Invalid input; `errors` names each field.",
}


def problems(*statuses: int, **overrides: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for problem+json errors (override a text with `s409="..."`)."""
    return {
        status: {
            "description": overrides.get(f"s{status}", DESCRIPTIONS[status]),
            "content": {"application/problem+json": {"schema": {"type": "object"}}},
        }
        for status in statuses
    }
