"""Token endpoint forms (RFC 6749 §4) and responses (§5.1, §5.2)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

# Longer values cannot be valid (an email has at most 320 characters, passwords at most 128,
# our secrets and tokens far less than 512); refusing them keeps them out of the database.
MAX_EMAIL = 320
MAX_PASSWORD = 128
MAX_SECRET = 512
MAX_NAME = 200
MAX_TOKEN = 4096  # an access token (a signed JWT) is about 1 KiB
MAX_SCOPE = 1000


class TokenForm(BaseModel):
    """The token request; which fields are needed depends on `grant_type`.

    Every field is optional here so that a missing one is answered with the RFC's
    `invalid_request` error rather than a generic validation failure.
    """

    model_config = ConfigDict(extra="ignore")

    grant_type: str | None = Field(
        default=None,
        max_length=MAX_NAME,
        description="`password`, `refresh_token` or `client_credentials`.",
    )
    username: str | None = Field(
        default=None, max_length=MAX_EMAIL, description="The account's email (password)."
    )
    password: str | None = Field(
        default=None, max_length=MAX_PASSWORD, repr=False, description="Password grant."
    )
    refresh_token: str | None = Field(
        default=None, max_length=MAX_SECRET, repr=False, description="Refresh grant."
    )
    scope: str | None = Field(
        default=None, max_length=MAX_SCOPE, description="Space-separated scopes to narrow to."
    )
    client_id: str | None = Field(
        default=None, max_length=MAX_NAME, description="Client id (or HTTP Basic)."
    )
    client_secret: str | None = Field(
        default=None, max_length=MAX_SECRET, repr=False, description="Client secret."
    )


class RevokeForm(BaseModel):
    """The revocation request (RFC 7009 §2.1)."""

    model_config = ConfigDict(extra="ignore")

    token: str | None = Field(
        default=None,
        max_length=MAX_TOKEN,
        repr=False,
        description="The refresh token or access token to revoke.",
    )
    token_type_hint: str | None = Field(default=None, max_length=MAX_NAME)
    client_id: str | None = Field(default=None, max_length=MAX_NAME)
    client_secret: str | None = Field(default=None, max_length=MAX_SECRET, repr=False)


class TokenResponse(BaseModel):
    """A successful token response."""

    access_token: str
    token_type: str = "Bearer"  # noqa: S105 - the token type, not a secret
    expires_in: int
    refresh_token: str | None = None
    scope: str


class OAuthErrorBody(BaseModel):
    """An RFC 6749 §5.2 error."""

    error: str
    error_description: str | None = None
