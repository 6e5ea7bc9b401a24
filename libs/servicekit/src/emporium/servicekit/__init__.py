"""Emporium's shared service library."""

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
    "BadGateway",
    "CircuitBreaker",
    "CircuitOpen",
    "ClientCredentials",
    "Conflict",
    "DomainError",
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
    "bearer_challenge",
    "create_app",
    "current_request_id",
    "get_http_client",
    "get_principal",
    "get_session",
    "make_http_client",
    "new_metadata",
    "problem_response",
    "propagation_headers",
    "require_scopes",
    "service_client",
]
