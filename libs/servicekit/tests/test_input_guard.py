"""No input reaches the database or a response that cannot hold it: a 4xx names the field."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

PROBLEM = "application/problem+json"


def _only_error(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    [error] = response.json()["errors"]
    return dict(error)


async def test_nul_in_a_path_parameter_is_422_naming_it(client: httpx.AsyncClient) -> None:
    error = _only_error(await client.get("/demo/notes/a%00b"))
    assert (error["field"], error["location"]) == ("body", "path")
    assert "NUL" in error["message"]


async def test_nul_in_a_query_parameter_is_422_naming_it(client: httpx.AsyncClient) -> None:
    error = _only_error(await client.get("/demo/search", params={"q": "\x00eh"}))
    assert (error["field"], error["location"]) == ("q", "query")


async def test_nul_in_a_declared_header_is_422_naming_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/demo/search", params={"q": "x"}, headers={"X-Tag": "a\x00b"})
    error = _only_error(response)
    assert (error["field"], error["location"]) == ("x-tag", "header")


async def test_nul_in_an_undeclared_query_parameter_is_ignored(client: httpx.AsyncClient) -> None:
    response = await client.get("/demo/search", params={"q": "x", "utm": "\x00"})
    assert response.status_code == 200


@pytest.mark.parametrize("text", ["Ada\x00Lovelace", "Ada\ud800"])
async def test_nul_or_lone_surrogate_in_a_json_string_is_422_naming_it(
    client: httpx.AsyncClient, text: str
) -> None:
    body = json.dumps({"body": text})  # ASCII JSON: "\u0000" and "\ud800" escapes
    response = await client.post(
        "/demo/notes", content=body, headers={"Content-Type": "application/json"}
    )
    error = _only_error(response)
    assert (error["field"], error["location"]) == ("body", "body")


async def test_lone_surrogate_in_a_member_name_is_422(client: httpx.AsyncClient) -> None:
    body = json.dumps({"body": "fine", "\udfff": 1})
    response = await client.post(
        "/demo/notes", content=body, headers={"Content-Type": "application/json"}
    )
    assert _only_error(response)["location"] == "body"


async def test_nul_in_a_form_field_is_422_naming_it(client: httpx.AsyncClient) -> None:
    error = _only_error(await client.post("/demo/forms", data={"name": "a\x00"}))
    assert (error["field"], error["location"]) == ("name", "body")


async def test_clean_form_still_works(client: httpx.AsyncClient) -> None:
    response = await client.post("/demo/forms", data={"name": "Ada"})
    assert response.json() == {"name": "Ada"}


async def test_json_nested_too_deep_is_422(client: httpx.AsyncClient) -> None:
    deep = '{"a":' * 40 + "1" + "}" * 40
    response = await client.post(
        "/demo/notes", content=deep, headers={"Content-Type": "application/json"}
    )
    assert "nested" in _only_error(response)["message"]


async def test_json_deeper_than_the_parser_goes_is_400(client: httpx.AsyncClient) -> None:
    deep = "[" * 5000 + "]" * 5000
    response = await client.post(
        "/demo/notes", content=deep, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
async def test_a_json_body_in_another_media_type_is_415(
    client: httpx.AsyncClient, content_type: str
) -> None:
    response = await client.post(
        "/demo/notes", content=b'{"body": "x"}', headers={"Content-Type": content_type}
    )
    assert response.status_code == 415
    assert response.headers["content-type"] == PROBLEM
    assert "application/json" in response.json()["detail"]


async def test_a_body_over_the_limit_is_413(client: httpx.AsyncClient) -> None:
    big = json.dumps({"body": "x" * (1024 * 1024 + 1)})
    response = await client.post(
        "/demo/notes", content=big, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM


async def test_a_streamed_body_over_the_limit_is_413(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"body": "'
        for _ in range(17):
            yield b"x" * 65536
        yield b'"}'

    response = await client.post(
        "/demo/notes", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
