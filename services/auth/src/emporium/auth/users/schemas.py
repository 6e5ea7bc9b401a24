"""User request and response schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    computed_field,
)

from emporium.auth.users.roles import Role, scopes_for_roles


def _normalise_email(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


Email = Annotated[EmailStr, BeforeValidator(_normalise_email)]
Password = Annotated[str, Field(min_length=8, max_length=128, repr=False)]
FullName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class UserCreate(BaseModel):
    """A new customer account."""

    model_config = ConfigDict(extra="forbid")

    email: Email = Field(max_length=320)
    password: Password
    full_name: FullName


class RegistrationAccepted(BaseModel):
    """The answer to every valid registration, whether or not the email had an account."""

    email: str = Field(description="The email as it was stored or compared (trimmed, lower case).")
    detail: str = Field(
        description="What to do next: sign in with the password grant at `POST /auth/token`."
    )


class UserCreateByAdmin(UserCreate):
    """An account an administrator opens, with its roles."""

    roles: list[Role] = Field(default=["customer"], min_length=1)


class UserUpdate(BaseModel):
    """Changes an administrator may make to an account; absent fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    roles: list[Role] | None = Field(default=None, min_length=1)
    active: bool | None = None
    full_name: FullName | None = None


class UserRead(BaseModel):
    """An account as clients see it (never its password)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    full_name: str
    roles: list[str]
    active: bool
    created_at: datetime
    updated_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def scopes(self) -> list[str]:
        """The scopes the account's roles allow."""
        return sorted(scopes_for_roles(self.roles))


class UserPage(BaseModel):
    """One page of accounts."""

    items: list[UserRead]
    next_cursor: str | None
