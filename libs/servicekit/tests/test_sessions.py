"""SessionDep commits on success, rolls back on any error; ReadSessionDep has no transaction."""

from __future__ import annotations

import uuid

import httpx


async def test_successful_request_commits(client: httpx.AsyncClient) -> None:
    body = f"kept-{uuid.uuid4().hex[:8]}"
    assert (await client.post("/demo/notes", json={"body": body})).status_code == 201
    assert (await client.get(f"/demo/notes/{body}")).status_code == 200


async def test_domain_error_rolls_back_the_insert(client: httpx.AsyncClient) -> None:
    body = f"lost-{uuid.uuid4().hex[:8]}"
    response = await client.post("/demo/notes", json={"body": body, "fail_after_insert": True})
    assert response.status_code == 409
    assert response.json()["body"] == body
    assert (await client.get(f"/demo/notes/{body}")).status_code == 404


async def test_commit_failure_is_an_error_not_a_success(client: httpx.AsyncClient) -> None:
    body = f"dup-{uuid.uuid4().hex[:8]}"
    assert (await client.post("/demo/notes", json={"body": body})).status_code == 201
    # autoflush is off, so the duplicate key surfaces at commit time, after the route returned.
    response = await client.post("/demo/notes", json={"body": body})
    assert response.status_code == 409
    assert "pk_note" in response.json()["detail"] or "note_pkey" in response.json()["detail"]
    assert response.headers["content-type"] == "application/problem+json"


async def test_read_session_runs_each_statement_outside_a_transaction(
    client: httpx.AsyncClient,
) -> None:
    # now() is the start of the current transaction: it moves between two statements only
    # when each runs on its own.
    assert (await client.get("/demo/clock")).json() == {"one_transaction": False}
