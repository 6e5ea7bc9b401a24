"""Token endpoint forms (RFC 6749 §4) and responses (§5.1, §5.2)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class TokenForm(BaseModel):
    """The token request; which fields are needed depends on `grant_type`.

    Every field is optional here so that a missing one is answered with the RFC's
    `invalid_request` error rather than a generic validation failure.
    """

    model_config = ConfigDict(extra="ignore")

    grant_type: str | None = Field(
        default=None, description="`password`, `refresh_token` or `client_credentials`."
    )
    username: str | None = Field(default=None, description="The account's email (password).")
    password: str | None = Field(default=None, repr=False, description="Password grant.")
    refresh_token: str | None = Field(default=None, repr=False, description="Refresh grant.")
    scope: str | None = Field(default=None, description="Space-separated scopes to narrow to.")
    client_id: str | None = Field(default=None, description="Client id (or HTTP Basic).")
    client_secret: str | None = Field(default=None, repr=False, description="Client secret.")


class RevokeForm(BaseModel):
    """The revocation request (RFC 7009 §2.1)."""

    model_config = ConfigDict(extra="ignore")

    token: str | None = Field(default=None, repr=False, description="The refresh token.")
    token_type_hint: str | None = None
    client_id: str | None = None
    client_secret: str | None = Field(default=None, repr=False)


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
