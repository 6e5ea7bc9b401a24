"""OAuth 2.0 errors: RFC 6749 §5.2 JSON bodies (not problem+json, as the RFC requires)."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi.responses import JSONResponse

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
CLIENT_CHALLENGE = 'Basic realm="emporium", charset="UTF-8"'


class OAuthError(Exception):
    """An error the token or revocation endpoint answers with."""

    status_code = 400

    def __init__(
        self,
        error: str,
        description: str,
        *,
        status_code: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        if status_code is not None:
            self.status_code = status_code
        self.headers = dict(headers or {})

    def response(self) -> JSONResponse:
        """The JSON error response, never cached."""
        return JSONResponse(
            {"error": self.error, "error_description": self.description},
            status_code=self.status_code,
            headers={**NO_STORE, **self.headers},
        )


def invalid_request(description: str) -> OAuthError:
    """A parameter is missing, repeated or malformed."""
    return OAuthError("invalid_request", description)


def invalid_client(description: str = "Client authentication failed.") -> OAuthError:
    """Client authentication failed: 401 with a Basic challenge (RFC 6749 §5.2)."""
    return OAuthError(
        "invalid_client",
        description,
        status_code=401,
        headers={"WWW-Authenticate": CLIENT_CHALLENGE},
    )


def invalid_grant(description: str) -> OAuthError:
    """The credentials or refresh token are invalid, expired or revoked."""
    return OAuthError("invalid_grant", description)


def invalid_scope(description: str) -> OAuthError:
    """The requested scope is unknown or exceeds what may be granted."""
    return OAuthError("invalid_scope", description)


def too_many_attempts(retry_after: int) -> OAuthError:
    """Too many failed attempts: 429 with Retry-After."""
    return OAuthError(
        "slow_down",
        f"Too many failed attempts; retry in {retry_after} seconds.",
        status_code=429,
        headers={"Retry-After": str(retry_after)},
    )
