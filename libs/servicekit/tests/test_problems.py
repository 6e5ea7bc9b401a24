"""Every error is an RFC 9457 problem document."""

from __future__ import annotations

import httpx

PROBLEM = "application/problem+json"


async def test_unknown_path_is_problem_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == 404
    assert body["title"] == "Not Found"
    assert "/nowhere" in body["detail"]


async def test_wrong_method_is_problem_405(client: httpx.AsyncClient) -> None:
    response = await client.delete("/demo/notes")
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    assert "DELETE" in response.json()["detail"]


async def test_validation_error_names_the_field(client: httpx.AsyncClient) -> None:
    response = await client.post("/demo/notes", json={"body": ""})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["errors"][0]["field"] == "body"
    assert body["errors"][0]["location"] == "body"
    assert "body" in body["detail"]


async def test_domain_error_maps_to_its_status(client: httpx.AsyncClient) -> None:
    response = await client.get("/demo/notes/absent-note")
    assert response.status_code == 404
    body = response.json()
    assert body["type"] == "urn:emporium:problem:not-found"
    assert body["detail"] == "no note 'absent-note'"


async def test_openapi_operation_ids_are_stable(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    ids = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert "demo-notes-create-note" in ids
    assert "demo-health-readyz" in ids
