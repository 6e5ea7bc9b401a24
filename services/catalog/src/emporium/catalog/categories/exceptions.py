"""Errors of the categories domain."""

from __future__ import annotations

from emporium.servicekit.errors import Conflict, NotFound


class CategoryNotFound(NotFound):
    """No category has this id or slug."""

    slug = "category-not-found"


class DuplicateSlug(Conflict):
    """Another category already uses this slug."""

    slug = "duplicate-slug"
