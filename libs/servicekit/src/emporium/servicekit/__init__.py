"""Emporium's shared service library.

The names below are imported from their modules on first use (PEP 562), so that a small
command such as `python -m emporium.servicekit.probe` starts without FastAPI or SQLAlchemy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from emporium.servicekit.app import HttpClientDep, create_app, get_http_client, make_http_client
    from emporium.servicekit.client_credentials import ClientCredentials
    from emporium.servicekit.context import current_request_id, propagation_headers
    from emporium.servicekit.db import (
        ReadSessionDep,
        SessionDep,
        TimestampMixin,
        UUIDPrimaryKeyMixin,
        get_session,
        new_metadata,
    )
    from emporium.servicekit.errors import (
        BadGateway,
        Conflict,
        DomainError,
        Forbidden,
        GatewayTimeout,
        InvalidInput,
        NotFound,
        PreconditionFailed,
        PreconditionRequired,
        ServiceUnavailable,
        TooManyRequests,
        Unauthorized,
    )
    from emporium.servicekit.jwks import (
        JWKSCache,
        KeyProvider,
        KeySetUnavailable,
        KeyUnavailable,
        StaticKeys,
    )
    from emporium.servicekit.openapi import (
        ETAG_HEADER,
        LOCATION_HEADER,
        id_links,
        problem_responses,
        response_headers,
    )
    from emporium.servicekit.problem_schemas import FieldError, Problem, ValidationProblem
    from emporium.servicekit.problems import problem_response
    from emporium.servicekit.read_connection import ReadConnection, ReadConnectionDep
    from emporium.servicekit.security import (
        PrincipalDep,
        bearer_challenge,
        get_principal,
        require_scopes,
    )
    from emporium.servicekit.service_client import (
        CircuitBreaker,
        CircuitOpen,
        ServiceClient,
    )
    from emporium.servicekit.settings import ServiceSettings
    from emporium.servicekit.tokens import InvalidToken, Principal, TokenVerifier

_EXPORTS: dict[str, tuple[str, ...]] = {
    "app": (
        "HttpClientDep",
        "create_app",
        "get_http_client",
        "make_http_client",
    ),
    "client_credentials": ("ClientCredentials",),
    "context": (
        "current_request_id",
        "propagation_headers",
    ),
    "db": (
        "ReadSessionDep",
        "SessionDep",
        "TimestampMixin",
        "UUIDPrimaryKeyMixin",
        "get_session",
        "new_metadata",
    ),
    "errors": (
        "BadGateway",
        "Conflict",
        "DomainError",
        "Forbidden",
        "GatewayTimeout",
        "InvalidInput",
        "NotFound",
        "PreconditionFailed",
        "PreconditionRequired",
        "ServiceUnavailable",
        "TooManyRequests",
        "Unauthorized",
    ),
    "jwks": (
        "JWKSCache",
        "KeyProvider",
        "KeySetUnavailable",
        "KeyUnavailable",
        "StaticKeys",
    ),
    "openapi": (
        "ETAG_HEADER",
        "LOCATION_HEADER",
        "id_links",
        "problem_responses",
        "response_headers",
    ),
    "problem_schemas": ("FieldError", "Problem", "ValidationProblem"),
    "problems": ("problem_response",),
    "read_connection": ("ReadConnection", "ReadConnectionDep"),
    "security": (
        "PrincipalDep",
        "bearer_challenge",
        "get_principal",
        "require_scopes",
    ),
    "service_client": (
        "CircuitBreaker",
        "CircuitOpen",
        "ServiceClient",
    ),
    "settings": ("ServiceSettings",),
    "tokens": (
        "InvalidToken",
        "Principal",
        "TokenVerifier",
    ),
}
"""Each exported name's module (under emporium.servicekit), and what it exports. No name
may be a module's own name: importing that module would rebind it on the package."""
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = [
    "ETAG_HEADER",
    "LOCATION_HEADER",
    "BadGateway",
    "CircuitBreaker",
    "CircuitOpen",
    "ClientCredentials",
    "Conflict",
    "DomainError",
    "FieldError",
    "Forbidden",
    "GatewayTimeout",
    "HttpClientDep",
    "InvalidInput",
    "InvalidToken",
    "JWKSCache",
    "KeyProvider",
    "KeySetUnavailable",
    "KeyUnavailable",
    "NotFound",
    "PreconditionFailed",
    "PreconditionRequired",
    "Principal",
    "PrincipalDep",
    "Problem",
    "ReadConnection",
    "ReadConnectionDep",
    "ReadSessionDep",
    "ServiceClient",
    "ServiceSettings",
    "ServiceUnavailable",
    "SessionDep",
    "StaticKeys",
    "TimestampMixin",
    "TokenVerifier",
    "TooManyRequests",
    "UUIDPrimaryKeyMixin",
    "Unauthorized",
    "ValidationProblem",
    "bearer_challenge",
    "create_app",
    "current_request_id",
    "get_http_client",
    "get_principal",
    "get_session",
    "id_links",
    "make_http_client",
    "new_metadata",
    "problem_response",
    "problem_responses",
    "propagation_headers",
    "require_scopes",
    "response_headers",
]

if not TYPE_CHECKING:  # mypy sees the imports above; at run time names load on first use

    def __getattr__(name: str) -> Any:
        """Import an exported name from its module the first time it is asked for."""
        module = _MODULE_OF.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        """The module's own names and every exported one."""
        return sorted({*globals(), *__all__})
