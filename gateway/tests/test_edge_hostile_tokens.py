"""Tokens built to break the edge's own parsing: always a 401 problem, never a 500."""

from __future__ import annotations

import uuid

import httpx
import pytest

from emporium.servicekit.testing import TokenFactory

pytestmark = pytest.mark.slow

HOSTILE_KIDS = {
    "not-latin-1": "ключ-🔑",
    "quotes-and-line-breaks": 'k"\\\r\nX-Evil: 1',
    "huge": "k" * 20_000,
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_KIDS))
async def test_a_hostile_key_id_is_a_401_problem_with_a_valid_challenge(
    client: httpx.AsyncClient, token_factory: TokenFactory, kind: str
) -> None:
    token = token_factory.issue(headers={"kid": HOSTILE_KIDS[kind]})
    rid = f"kid-{uuid.uuid4().hex}"
    response = await client.get(
        "/orders", headers={"Authorization": f"Bearer {token}", "X-Request-ID": rid}
    )
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith('Bearer realm="emporium", error="invalid_token"')
    assert challenge.isascii()
    assert "x-evil" not in response.headers
    assert response.json()["request_id"] == rid
    assert response.headers["x-content-type-options"] == "nosniff"  # the edge's own answer
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
