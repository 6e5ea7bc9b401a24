"""Errors of the categories domain."""

from __future__ import annotations

from emporium.servicekit.errors import Conflict, NotFound
from emporium.servicekit.problems import field_error


class CategoryNotFound(NotFound):
    """No category has this id or slug."""

    slug = "category-not-found"


class DuplicateSlug(Conflict):
    """Another category already uses this slug."""

    slug = "duplicate-slug"

    def __init__(self, taken: str) -> None:
        super().__init__(
            f"A category with the slug {taken!r} already exists.",
            extra={"errors": [field_error("slug", "already taken", location="body")]},
        )
