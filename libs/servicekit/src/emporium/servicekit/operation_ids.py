"""Stable, readable OpenAPI operation ids: `<service>-<tag>-<route>`."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.routing import APIRoute


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def operation_id_function(service: str) -> Callable[[APIRoute], str]:
    """A `generate_unique_id_function` giving e.g. `catalog-products-list-products`."""

    def generate(route: APIRoute) -> str:
        tag = str(route.tags[0]) if route.tags else "default"
        return f"{_slug(service)}-{_slug(tag)}-{_slug(route.name)}"

    return generate
