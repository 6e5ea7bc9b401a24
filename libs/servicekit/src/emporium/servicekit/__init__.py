"""Emporium's shared service library."""

from emporium.servicekit.app import HttpClientDep, create_app, get_http_client, make_http_client
from emporium.servicekit.client_credentials import ClientCredentials
from emporium.servicekit.context import current_request_id, propagation_headers
from emporium.servicekit.db import (
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
    service_client,
)
from emporium.servicekit.settings import ServiceSettings
from emporium.servicekit.tokens import InvalidToken, Principal, TokenVerifier

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
    "service_client",
]
