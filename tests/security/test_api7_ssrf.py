"""API7:2023 Server Side Request Forgery: nothing a client sends steers the gateway's requests.

The gateway forwards by its own prefix table to the upstreams it was configured with: not to
an absolute request target, a `Host` or `X-Forwarded-Host` header, or a path that spells a
host. No endpoint fetches a URL a client names.
"""

from __future__ import annotations

import httpx
import pytest

from tests.security.listener import listening, raw_request
from tests.security.traffic import served_meanwhile
from tests.system import System

pytestmark = pytest.mark.slow


async def test_no_request_reaches_a_host_the_client_names(
    system: System, gateway: httpx.AsyncClient
) -> None:
    async with listening() as target, served_meanwhile(system):
        there = target.authority
        raw = [
            f"GET http://{there}/catalog/products HTTP/1.1\r\nHost: {there}\r\n\r\n",
            f"GET /catalog/products HTTP/1.1\r\nHost: {there}\r\n\r\n",
            f"GET //{there}/catalog/products HTTP/1.1\r\nHost: {there}\r\n\r\n",
        ]
        for request in raw:
            raw_answer = await raw_request(system.base_url, request.encode())
            status = int(raw_answer.split(b" ", 2)[1])
            assert status < 500, raw_answer[:300]
            assert there.encode() not in raw_answer.split(b"\r\n\r\n")[0], raw_answer[:300]
        attempts = [
            ("/catalog/products", {"X-Forwarded-Host": there, "Forwarded": f"host={there}"}),
            (f"/catalog/..%2f..%2f{there}/", {}),
            (f"/auth/%2e%2e/{there}/x", {}),
            (f"/docs?url=http://{there}/openapi.json", {}),
            (f"/openapi.json?url=http://{there}/", {}),
        ]
        for path, headers in attempts:
            answer = await gateway.get(path, headers=headers)
            assert answer.status_code < 500, (path, answer.text)
            assert there not in answer.headers.get("location", "")
    assert target.connections == 0
