"""OpenAPI that says what each operation answers: problem+json errors and response headers.

Routes declare the errors of their own logic with `problem_responses(404, 409, ...)`; the
errors every route of a kind can give are added from what the route depends on (a bearer
token: 401/403, the database: 503, a body: 400/413/415, any input: 422).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, cast

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel

from emporium.servicekit.db import get_read_session, get_session
from emporium.servicekit.problem_schemas import FieldError, Problem, ValidationProblem
from emporium.servicekit.problems import PROBLEM_MEDIA_TYPE
from emporium.servicekit.read_connection import get_read_connection
from emporium.servicekit.security import SCHEME_NAME, get_principal

SCHEMA_REF = "#/components/schemas/{model}"
PROBLEM_REF = SCHEMA_REF.format(model="Problem")
VALIDATION_PROBLEM_REF = SCHEMA_REF.format(model="ValidationProblem")

DESCRIPTIONS = {
    400: "The request is malformed (e.g. a body that is not parseable).",
    401: "No bearer token, or an invalid or expired one.",
    403: "The token does not allow this operation.",
    404: "No such resource (or not one the caller may see).",
    409: "Conflicts with the current state of the resource.",
    412: "`If-Match` names a version that is no longer current.",
    413: "The request body is too large.",
    415: "The request body is not in a media type this operation accepts.",
    422: "The request is not valid; `errors` names each field that is wrong.",
    429: "Too many requests; retry after `Retry-After` seconds.",
    502: "A service behind this one answered with something unusable.",
    503: "A dependency is unavailable; retry after `Retry-After` seconds.",
    504: "A dependency did not answer in time.",
}


def _header(description: str, *, required: bool = True) -> dict[str, Any]:
    return {"description": description, "required": required, "schema": {"type": "string"}}


REQUEST_ID_HEADER = _header("The request's id (the client's `X-Request-ID`, or a new one).")
RETRY_AFTER_HEADER = {
    "description": "Seconds to wait before retrying.",
    "required": True,
    "schema": {"type": "integer", "minimum": 0},
}
WWW_AUTHENTICATE_HEADER = _header("The bearer challenge (RFC 6750), with the error if any.")
ETAG_HEADER = _header("The version of the resource, for `If-Match`.")
LOCATION_HEADER = _header("The path of the created resource.")
# Which statuses always carry which headers.
PROBLEM_HEADERS: dict[int, dict[str, dict[str, Any]]] = {
    401: {"WWW-Authenticate": WWW_AUTHENTICATE_HEADER},
    429: {"Retry-After": RETRY_AFTER_HEADER},
    503: {"Retry-After": RETRY_AFTER_HEADER},
    504: {"Retry-After": RETRY_AFTER_HEADER},
}


def problem_doc(status: int, description: str | None = None) -> dict[str, Any]:
    """One `responses=` entry: a problem+json answer with the headers its status carries."""
    ref = VALIDATION_PROBLEM_REF if status == 422 else PROBLEM_REF
    entry: dict[str, Any] = {
        "description": description or DESCRIPTIONS.get(status, "An error."),
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": ref}}},
    }
    if status in PROBLEM_HEADERS:
        entry["headers"] = dict(PROBLEM_HEADERS[status])
    return entry


def problem_responses(*statuses: int, **descriptions: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for the errors a route's own logic gives (`s409="..."` to explain)."""
    return {s: problem_doc(s, descriptions.get(f"s{s}")) for s in statuses}


def response_headers(status: int, **headers: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    """A `responses=` entry documenting headers of a success (`ETag=ETAG_HEADER`).

    Keyword names become header names with `_` as `-` (`Idempotent_Replayed`).
    """
    return {status: {"headers": {k.replace("_", "-"): v for k, v in headers.items()}}}


def id_links(parameter: str, *operation_ids: str) -> dict[str, Any]:
    """OpenAPI links from an answer's `id` to the operations taking it as `parameter`."""
    return {
        op: {"operationId": op, "parameters": {parameter: "$response.body#/id"}}
        for op in operation_ids
    }


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _dependants(sub)


def implied_statuses(route: Any) -> set[int]:
    """The error statuses a route can give because of what it depends on."""
    statuses: set[int] = set()
    for dependant in _dependants(route.dependant):
        if dependant.call is get_principal:
            statuses.add(401)
            statuses.add(503)  # the auth service's signing keys out of reach
            if dependant.own_oauth_scopes or dependant.parent_oauth_scopes:
                statuses.add(403)
        elif dependant.call in (get_session, get_read_session, get_read_connection):
            statuses.add(503)
        if dependant.path_params or dependant.query_params or dependant.header_params:
            statuses.add(422)
    if route.body_field is not None:
        statuses.update({400, 413, 422})  # 400: a body that cannot be parsed
        if getattr(route.body_field.field_info, "media_type", None) == "application/json":
            statuses.add(415)
    return statuses


def problem_schemas() -> dict[str, Any]:
    """The JSON Schemas of `Problem`, `ValidationProblem` and `FieldError`, by name."""
    out: dict[str, Any] = {}
    models: tuple[type[BaseModel], ...] = (FieldError, Problem, ValidationProblem)
    for model in models:
        schema = model.model_json_schema(ref_template=SCHEMA_REF)
        out.update(schema.pop("$defs", {}))
        out[model.__name__] = schema
    return out


def add_problem_responses(operation: dict[str, Any], statuses: set[int]) -> None:
    """Document that `operation` may answer each of `statuses` with a problem."""
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for status in sorted(statuses):
        doc = problem_doc(status)
        entry = responses.setdefault(str(status), doc)
        content = entry.setdefault("content", {})
        if PROBLEM_MEDIA_TYPE not in content:  # e.g. OAuth's own 400 JSON, or this problem
            content[PROBLEM_MEDIA_TYPE] = doc["content"][PROBLEM_MEDIA_TYPE]
        for name, header in doc.get("headers", {}).items():
            entry.setdefault("headers", {}).setdefault(name, header)


def _document(operation: dict[str, Any], statuses: set[int]) -> None:
    add_problem_responses(operation, statuses)
    responses: dict[str, Any] = operation["responses"]
    validation = responses.get("422")
    if validation is not None:
        validation.pop("content", None)
        validation.update(
            {
                "description": validation.get("description")
                if validation.get("description") not in (None, "Validation Error")
                else DESCRIPTIONS[422],
                "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": VALIDATION_PROBLEM_REF}}},
            }
        )
    for response in responses.values():
        response.setdefault("headers", {})["X-Request-ID"] = REQUEST_ID_HEADER


def _document_password_flow(
    schema: dict[str, Any], token_path: str, scopes: Mapping[str, str]
) -> None:
    scheme = schema.get("components", {}).get("securitySchemes", {}).get(SCHEME_NAME)
    if scheme is not None:
        scheme["flows"]["password"] = {"tokenUrl": token_path, "scopes": dict(scopes)}


def problem_openapi(
    app: FastAPI, *, token_path: str, scopes: Mapping[str, str]
) -> Callable[[], dict[str, Any]]:
    """An `app.openapi` documenting each operation's problems and headers, and the app's scopes."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            openapi_version=app.openapi_version,
            description=app.description,
            routes=app.routes,
            tags=app.openapi_tags,
        )
        paths: dict[str, Any] = schema.get("paths", {})
        for route in iter_route_contexts(app.routes):
            if not isinstance(route.original_route, APIRoute):
                continue
            route = cast(Any, route)  # an effective APIRoute: prefix and dependencies applied
            if not route.include_in_schema:
                continue
            item = paths.get(route.path_format, {})
            for method in route.methods:
                operation = item.get(method.lower())
                if operation is not None:
                    _document(operation, implied_statuses(route))
        schemas: dict[str, Any] = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        schemas.update(problem_schemas())
        _document_password_flow(schema, token_path, scopes)
        app.openapi_schema = schema
        return schema

    return openapi
