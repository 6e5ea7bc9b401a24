"""The OpenAPI of a servicekit app documents its problem answers and response headers."""

from __future__ import annotations

from typing import Any

import httpx
from openapi_spec_validator import validate

PROBLEM = "application/problem+json"


async def _spec(client: httpx.AsyncClient) -> dict[str, Any]:
    spec: dict[str, Any] = (await client.get("/openapi.json")).json()
    return spec


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for item in spec["paths"].values() for op in item.values()]


async def test_the_spec_is_valid_openapi_31(client: httpx.AsyncClient) -> None:
    validate(await _spec(client))


async def test_fastapis_default_validation_error_is_gone(client: httpx.AsyncClient) -> None:
    schemas = (await _spec(client))["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert "ValidationError" not in schemas
    assert {"Problem", "ValidationProblem", "FieldError"} <= set(schemas)


async def test_every_422_is_a_validation_problem(client: httpx.AsyncClient) -> None:
    spec = await _spec(client)
    documented = [op["responses"]["422"] for op in _operations(spec) if "422" in op["responses"]]
    assert documented
    for response in documented:
        assert response["content"] == {
            PROBLEM: {"schema": {"$ref": "#/components/schemas/ValidationProblem"}}
        }


async def test_errors_implied_by_a_body_and_the_database_are_listed(
    client: httpx.AsyncClient,
) -> None:
    responses = (await _spec(client))["paths"]["/demo/notes"]["post"]["responses"]
    assert {"400", "413", "415", "422", "503"} <= set(responses)
    assert responses["503"]["headers"]["Retry-After"]["required"] is True
    assert responses["413"]["content"][PROBLEM]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }


async def test_every_response_documents_the_request_id(client: httpx.AsyncClient) -> None:
    for operation in _operations(await _spec(client)):
        for response in operation["responses"].values():
            assert response["headers"]["X-Request-ID"]["required"] is True


async def test_a_scoped_route_documents_401_with_its_challenge_and_403(
    client: httpx.AsyncClient,
) -> None:
    responses = (await _spec(client))["paths"]["/demo/secret"]["get"]["responses"]
    assert responses["401"]["headers"]["WWW-Authenticate"]["required"] is True
    assert "403" in responses
    assert "422" not in responses  # nothing to validate
