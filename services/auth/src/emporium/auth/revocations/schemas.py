"""The revocation list document."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RevocationListDocument(BaseModel):
    """What verifiers fetch: digests of revoked token ids and least generations per account."""

    access_tokens: list[str] = Field(
        description="SHA-256 hex digests of the `jti` of access tokens revoked before expiry."
    )
    subjects: dict[str, int] = Field(
        description="For accounts changed lately (deactivated, roles changed), the SHA-256 hex "
        "digest of the account id and the least `gen` claim its tokens must carry."
    )
