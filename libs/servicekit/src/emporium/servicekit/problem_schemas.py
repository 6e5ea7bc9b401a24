"""The problem+json shapes every error answer has (RFC 9457), as documented models."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Location = Literal["body", "query", "path", "header", "cookie"]
"""Where in the request a field was sent."""


class FieldError(BaseModel):
    """One thing wrong with the request, and where."""

    field: str = Field(description="The field, dotted for nested ones (`items.0.quantity`).")
    location: Location = Field(description="Where the field was sent.")
    message: str = Field(description="What is wrong with it, for people.")
    type: str = Field(description="A stable code for what is wrong (e.g. `missing`).")


class Problem(BaseModel):
    """An error answer (RFC 9457); some problem types add members (e.g. `short_items`)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(
        description="A URI naming the problem type (`urn:emporium:problem:<slug>` or "
        "`about:blank`).",
        examples=["urn:emporium:problem:not-found"],
    )
    title: str = Field(description="A short summary of the problem type.")
    status: int = Field(ge=100, le=599, description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request, for people.")
    instance: str | None = Field(default=None, description="The path that was requested.")
    request_id: str | None = Field(
        default=None, description="The request's `X-Request-ID`, to quote when reporting it."
    )


class ValidationProblem(Problem):
    """A request that is not valid: `errors` names each field that is wrong."""

    errors: list[FieldError] = Field(description="Each field that is wrong.")
