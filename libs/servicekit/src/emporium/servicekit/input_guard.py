"""One check of every string a request brings, before any route logic sees it.

PostgreSQL cannot store NUL characters in text and UTF-8 cannot carry lone surrogates, so
either would fail deep inside a route as a 500. This app-wide dependency refuses them with
a 422 naming the field, for path, query and header parameters, JSON bodies and forms. It
also refuses a body that is not JSON on a route that reads JSON (415) and JSON nested
deeper than any of our schemas (422).
"""

from __future__ import annotations

import email.message
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.dependencies.utils import get_flat_params
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.datastructures import FormData, UploadFile

from emporium.servicekit.errors import DomainError

MAX_JSON_DEPTH = 32

_DECLARED = "_emporium_declared_parameters"  # computed once per route, kept on it


class UnsupportedMediaType(DomainError):
    """The body is in a media type the operation does not accept."""

    status_code = 415
    title = "Unsupported media type"
    slug = "unsupported-media-type"


def string_problem(value: str) -> str | None:
    """Why `value` cannot be accepted as text, or None when it can."""
    if "\x00" in value:
        return "must not contain NUL (\\u0000) characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text (it contains a lone surrogate)"
    return None


def _error(location: str, loc: tuple[str | int, ...], message: str) -> dict[str, Any]:
    return {"loc": (location, *loc), "msg": f"Value {message}", "type": "string_unsafe"}


def _walk(node: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every unsafe string (keys included) in a JSON document; iterative, depth-limited."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(node, loc)]
    while stack:
        value, where = stack.pop()
        if len(where) > MAX_JSON_DEPTH:
            yield where, f"is nested more than {MAX_JSON_DEPTH} levels deep"
            return
        if isinstance(value, str):
            if (problem := string_problem(value)) is not None:
                yield where, problem
        elif isinstance(value, dict):
            for key, item in value.items():
                if (problem := string_problem(key)) is not None:
                    yield where, f"has a member name that {problem}"
                    continue
                stack.append((item, (*where, key)))
        elif isinstance(value, list):
            stack.extend((item, (*where, i)) for i, item in enumerate(value))


def _declared(route: APIRoute) -> frozenset[str]:
    """Lower-cased names of the route's query, header and cookie parameters."""
    names: frozenset[str] | None = getattr(route, _DECLARED, None)
    if names is None:
        names = frozenset(
            name
            for field in get_flat_params(route.dependant)
            for name in (field.alias.lower(), field.alias.lower().replace("_", "-"))
        )
        setattr(route, _DECLARED, names)
    return names


def _media_type(request: Request) -> tuple[str, str] | None:
    value = request.headers.get("content-type")
    if not value:
        return None
    message = email.message.Message()
    message["content-type"] = value
    return message.get_content_maintype(), message.get_content_subtype()


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return "transfer-encoding" in request.headers or (length is not None and length != "0")


async def _body_errors(request: Request, route: APIRoute) -> list[dict[str, Any]]:
    body_info = route.body_field.field_info if route.body_field else None
    if body_info is None or not _has_body(request):
        return []
    accepts = getattr(body_info, "media_type", "application/json")
    media = _media_type(request)
    if accepts == "application/json":
        if media is None or not (
            media[0] == "application" and (media[1] == "json" or media[1].endswith("+json"))
        ):
            raise UnsupportedMediaType(
                "The body must be JSON, sent with `Content-Type: application/json`.",
                headers={"Accept": "application/json"},
            )
        if not await request.body():
            return []
        document = await request.json()  # FastAPI has parsed it already; this is its cache
        return [_error("body", loc, msg) for loc, msg in _walk(document, ())]
    # A form route answers a body it cannot read as a form itself (OAuth's token endpoint
    # says `invalid_request`); what it did read is checked like everything else.
    form: FormData = await request.form()  # parsed by FastAPI already: this is its cache
    return [
        _error("body", (name,), msg)
        for name, value in form.multi_items()
        if not isinstance(value, UploadFile) and (msg := string_problem(value)) is not None
    ]


async def guard_input(request: Request) -> None:
    """Refuse NUL characters, lone surrogates, deep JSON and unread media types (4xx)."""
    errors = [
        _error("path", (name,), msg)
        for name, value in request.path_params.items()
        if isinstance(value, str) and (msg := string_problem(value)) is not None
    ]
    route = request.scope.get("route")
    declared = _declared(route) if isinstance(route, APIRoute) else frozenset()
    errors.extend(
        _error("query", (name,), msg)
        for name, value in request.query_params.multi_items()
        if name.lower() in declared and (msg := string_problem(value)) is not None
    )
    errors.extend(
        _error("header", (name,), msg)
        for name, value in request.headers.items()
        if name in declared and (msg := string_problem(value)) is not None
    )
    if isinstance(route, APIRoute):
        errors.extend(await _body_errors(request, route))
    if errors:
        raise RequestValidationError(errors)
