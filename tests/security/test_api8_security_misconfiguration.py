"""API8:2023 Security Misconfiguration: strict headers, no banners, no 500s, no open redirects.

Regression tests of issue 13: NUL characters and a JWT `kid` that is not Latin-1 were 500s
(item 8); trailing slashes redirected to internal host names and `/docs/` reflected any
`Host` (item 9); security headers and the server banner (item 11).
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from emporium.servicekit.testing import TokenFactory
from tests.security.traffic import address, served_meanwhile
from tests.system import System

pytestmark = pytest.mark.slow

PROBLEM = "application/problem+json"
INTERNAL_HOSTS = ("auth:8000", "catalog:8000", "orders:8000", "127.0.0.1", "localhost")


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/"), ("GET", "/catalog/products"), ("GET", "/auth/me"), ("POST", "/orders")],
)
async def test_no_server_banner_and_the_security_headers(
    system: System, gateway: httpx.AsyncClient, method: str, path: str
) -> None:
    async with served_meanwhile(system):
        response = await gateway.request(method, path)
    assert "server" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/catalog/products/", "/auth/token/", "/orders/"])
async def test_a_trailing_slash_never_redirects_to_an_internal_host(
    system: System, gateway: httpx.AsyncClient, path: str
) -> None:
    async with served_meanwhile(system):
        response = await gateway.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 404
    assert "location" not in response.headers


async def test_the_docs_never_redirect_to_a_host_the_client_names(
    system: System, gateway: httpx.AsyncClient
) -> None:
    async with served_meanwhile(system):
        for path in ("/docs/", "/docs", "/redoc/", "/"):
            response = await gateway.get(path, headers={"Host": "evil.example"})
            assert response.status_code < 500, response.text
            location = response.headers.get("location", "")
            assert "evil.example" not in location, (path, location)
            assert not any(host in location for host in INTERNAL_HOSTS), (path, location)


def _field_error(response: httpx.Response) -> tuple[str, str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    [error] = response.json()["errors"]
    return error["field"], error["location"]


async def test_nul_in_a_product_filter(system: System, gateway: httpx.AsyncClient) -> None:
    async with served_meanwhile(system):
        response = await gateway.get("/catalog/products?category=%00eh&sort=price")
    assert _field_error(response) == ("category", "query")


async def test_nul_in_a_registration_name(system: System, gateway: httpx.AsyncClient) -> None:
    async with served_meanwhile(system):
        response = await gateway.post(
            "/auth/register",
            json={
                "email": f"nul-{uuid.uuid4().hex[:10]}@example.com",
                "password": "a-long-password",
                "full_name": "Ada\u0000Lovelace",
            },
        )
    assert _field_error(response) == ("full_name", "body")


async def test_nul_in_the_token_endpoints_username(
    system: System, gateway: httpx.AsyncClient
) -> None:
    async with served_meanwhile(system):
        response = await gateway.post(
            "/auth/token", data={"grant_type": "password", "username": "a\x00b", "password": "x"}
        )
    assert _field_error(response) == ("username", "body")


async def test_nul_in_a_path(system: System, gateway: httpx.AsyncClient) -> None:
    async with served_meanwhile(system):
        response = await gateway.get("/catalog/categories/%00")
    assert _field_error(response) == ("category_key", "path")


@pytest.mark.parametrize(
    "kid", ["ключ-🔑", "ÿ-latin-1-but-not-ascii", 'k"\\\r\nX-Evil: 1', "k" * 20_000]
)
async def test_a_hostile_jwt_key_id_is_a_401_problem_never_a_500(
    system: System, gateway: httpx.AsyncClient, kid: str
) -> None:
    token = TokenFactory(issuer=system.base_url).issue(headers={"kid": kid})
    async with served_meanwhile(system):
        for path in ("/orders", "/auth/me", "/catalog/reservations/" + str(uuid.uuid4())):
            response = await gateway.get(path, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 401, (path, response.text)
            assert response.headers["content-type"] == PROBLEM
            assert response.headers["www-authenticate"].isascii()
            assert "x-evil" not in response.headers


async def test_cross_origin_reads_are_not_granted_to_any_origin(
    system: System, gateway: httpx.AsyncClient
) -> None:
    async with served_meanwhile(system):
        response = await gateway.get(
            "/auth/me", headers={"Origin": "https://evil.example", "X-Forwarded-For": address()}
        )
        preflight = await gateway.options(
            "/orders",
            headers={
                "Origin": "https://evil.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization",
            },
        )
    for answer in (response, preflight):
        assert answer.status_code < 500
        assert answer.headers.get("access-control-allow-origin") in (None, "")
        assert "access-control-allow-credentials" not in answer.headers
