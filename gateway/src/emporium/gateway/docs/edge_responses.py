"""What the gateway itself may answer on any proxied operation, added to the merged spec."""

from __future__ import annotations

from typing import Any

from emporium.servicekit.openapi import add_problem_responses, problem_doc, problem_schemas

# Refused at the edge (invalid token, over the rate limit) or upstream trouble.
EDGE_STATUSES = frozenset({401, 429, 502, 503, 504})
BODY_TIMEOUT_DESCRIPTION = (
    "The request body did not arrive in time (slower than the gateway's minimum rate); "
    "the connection is closed."
)
RATE_LIMIT_HEADERS: dict[str, dict[str, Any]] = {
    "RateLimit-Limit": {
        "description": "Requests allowed in a burst (sent while rate limiting is on).",
        "schema": {"type": "integer"},
    },
    "RateLimit-Remaining": {
        "description": "Requests left in the current burst.",
        "schema": {"type": "integer"},
    },
    "RateLimit-Reset": {
        "description": "Seconds until the burst is full again.",
        "schema": {"type": "integer"},
    },
    "RateLimit-Policy": {
        "description": "The policy: `<burst>;w=<seconds to refill>`.",
        "schema": {"type": "string"},
    },
}


def add_edge_responses(operation: dict[str, Any]) -> None:
    """Document the gateway's own answers (and rate-limit headers) on a proxied operation."""
    statuses = set(EDGE_STATUSES)
    if "requestBody" in operation:
        # Too large, or slower than the minimum rate: the edge reads a body whole first.
        statuses.update({408, 413})
        operation.setdefault("responses", {}).setdefault(
            "408", problem_doc(408, BODY_TIMEOUT_DESCRIPTION)
        )
    add_problem_responses(operation, statuses)
    for response in operation["responses"].values():
        headers = response.setdefault("headers", {})
        for name, header in RATE_LIMIT_HEADERS.items():
            headers.setdefault(name, header)


def ensure_problem_schemas(schemas: dict[str, Any]) -> None:
    """The problem schemas the edge's answers refer to, unless a service defined them."""
    for name, schema in problem_schemas().items():
        schemas.setdefault(name, schema)
