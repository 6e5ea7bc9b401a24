"""The proxy path against a real upstream process: methods, headers, ids, streaming, limits."""

from __future__ import annotations

import asyncio
import hashlib
import re
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from .conftest import METRICS_TOKEN, StartGateway
from .servers import ServerProcess

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
async def test_every_method_reaches_the_owning_upstream(
    client: httpx.AsyncClient, method: str
) -> None:
    response = await client.request(method, "/orders/abc/items", params={"q": "a b", "n": "1"})
    assert response.status_code == 200, response.text
    seen = response.json()
    assert seen["method"] == method
    assert seen["path"] == "/orders/abc/items"
    assert seen["query"] == "q=a+b&n=1"


async def test_head_is_forwarded_without_a_body(client: httpx.AsyncClient) -> None:
    response = await client.head("/catalog/products")
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["content-length"]) > 0


async def test_path_is_forwarded_as_sent_without_rewriting(client: httpx.AsyncClient) -> None:
    response = await client.get("/catalog/a%2Fb/caf%C3%A9")
    assert response.json()["raw_path"] == "/catalog/a%2Fb/caf%C3%A9"


async def test_upstream_status_and_body_are_passed_through(client: httpx.AsyncClient) -> None:
    response = await client.get("/catalog/x", params={"status": "418"})
    assert response.status_code == 418
    assert response.json()["service"] == "echo"


async def test_request_id_is_accepted_passed_upstream_and_echoed(
    client: httpx.AsyncClient,
) -> None:
    rid = f"test-{uuid.uuid4().hex}"
    response = await client.get("/catalog/products", headers={"X-Request-ID": rid})
    assert response.headers["x-request-id"] == rid
    assert response.json()["headers"]["x-request-id"] == rid


async def test_request_id_is_generated_when_missing_or_malformed(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/catalog/products", headers={"X-Request-ID": "bad id!"})
    rid = response.headers["x-request-id"]
    assert rid != "bad id!"
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    assert response.json()["headers"]["x-request-id"] == rid


async def test_traceparent_continues_the_trace_with_a_new_span(
    client: httpx.AsyncClient,
) -> None:
    trace_id, span_id = uuid.uuid4().hex, uuid.uuid4().hex[:16]
    incoming = f"00-{trace_id}-{span_id}-01"
    response = await client.get("/catalog/products", headers={"traceparent": incoming})
    forwarded = response.json()["headers"]["traceparent"]
    version, trace, span, flags = forwarded.split("-")
    assert (version, trace, flags) == ("00", trace_id, "01")
    assert span != span_id


async def test_forwarded_headers_describe_the_client(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/catalog/products", headers={"X-Forwarded-For": "203.0.113.7", "Host": "shop.example"}
    )
    headers = response.json()["headers"]
    # uvicorn trusts its loopback peer's X-Forwarded-For, so the client is 203.0.113.7 already.
    assert headers["x-forwarded-for"] == "203.0.113.7"
    plain = (await client.get("/catalog/products")).json()["headers"]
    assert plain["x-forwarded-for"] == "127.0.0.1"
    assert headers["x-forwarded-proto"] == "http"
    assert headers["x-forwarded-host"] == "shop.example"
    assert headers["host"].startswith("127.0.0.1:")  # the upstream's own authority


async def test_hop_by_hop_request_headers_are_removed(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/catalog/products",
        headers={
            "Connection": "keep-alive, X-Secret-Hop",
            "X-Secret-Hop": "1",
            "Keep-Alive": "timeout=5",
            "TE": "trailers",
            "Proxy-Authorization": "Basic eDp5",
            "X-End-To-End": "kept",
        },
    )
    headers = response.json()["headers"]
    for name in ("x-secret-hop", "keep-alive", "te", "proxy-authorization"):
        assert name not in headers
    assert headers.get("connection") != "keep-alive, X-Secret-Hop"
    assert headers["x-end-to-end"] == "kept"


async def test_hop_by_hop_response_headers_are_removed(client: httpx.AsyncClient) -> None:
    response = await client.get("/catalog/hop")
    assert response.status_code == 200
    assert "x-private" not in response.headers
    assert "keep-alive" not in response.headers
    assert response.headers["x-kept"] == "yes"


async def _chunks(total: int, size: int = 256 * 1024) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        n = min(size, total - sent)
        yield b"x" * n
        sent += n


async def test_request_body_is_read_whole_before_the_upstream_is_called(
    client: httpx.AsyncClient, echo: ServerProcess
) -> None:
    rid = f"whole-{uuid.uuid4().hex}"
    piece = 256 * 1024

    async def body() -> AsyncIterator[bytes]:
        yield b"x" * piece
        # A client still sending holds no upstream connection: the upstream has seen nothing
        # of this request (not even its headers) while the rest is outstanding.
        await asyncio.sleep(0.5)
        async with httpx.AsyncClient(base_url=echo.url) as direct:
            assert (await direct.get("/__seen", params={"rid": rid})).status_code == 404
            received = (await direct.get("/__received", params={"rid": rid})).json()
            assert received["bytes"] == 0
        for _ in range(23):
            yield b"y" * piece

    response = await client.post("/catalog/upload", content=body(), headers={"X-Request-ID": rid})
    assert response.status_code == 200, response.text
    assert response.json()["body_size"] == 24 * piece
    seen = response.json()["headers"]
    assert seen.get("content-length") == str(24 * piece)
    assert "transfer-encoding" not in seen


async def test_large_response_body_is_streamed_to_the_client(client: httpx.AsyncClient) -> None:
    chunks, size = 200, 64 * 1024
    digest = hashlib.sha256()
    received = 0
    pieces = 0
    async with client.stream("GET", f"/catalog/stream?chunks={chunks}&size={size}") as response:
        assert response.status_code == 200
        assert "content-length" not in response.headers
        async for piece in response.aiter_raw():
            digest.update(piece)
            received += len(piece)
            pieces += 1
    expected = hashlib.sha256(b"".join(bytes([i % 251]) * size for i in range(chunks)))
    assert received == chunks * size
    assert digest.hexdigest() == expected.hexdigest()
    assert pieces > 1


async def test_body_over_the_limit_is_refused_with_413(
    client: httpx.AsyncClient, echo: ServerProcess
) -> None:
    rid = f"too-big-{uuid.uuid4().hex}"
    declared = await client.post(
        "/catalog/upload", content=b"x" * (9 * 1024 * 1024), headers={"X-Request-ID": rid}
    )
    assert declared.status_code == 413
    assert declared.headers["content-type"] == "application/problem+json"
    assert declared.json()["status"] == 413
    async with httpx.AsyncClient() as direct:
        assert (await direct.get(f"{echo.url}/__seen", params={"rid": rid})).status_code == 404

    streamed = await client.post("/catalog/upload", content=_chunks(9 * 1024 * 1024))
    assert streamed.status_code == 413
    assert streamed.json()["type"].endswith("payload-too-large")


async def test_unknown_path_is_a_problem_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/no/such/thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404
    assert response.headers["x-request-id"]


async def test_prefix_matches_whole_segments_only(client: httpx.AsyncClient) -> None:
    response = await client.get("/catalogue")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_gateway_metrics_count_proxied_requests(client: httpx.AsyncClient) -> None:
    await client.get("/catalog/products")
    scraper = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    metrics = (await client.get("/metrics", headers=scraper)).text
    assert re.search(r'http_requests_total\{[^}]*route="/catalog/\*\*"[^}]*\} \d', metrics)


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Basic {METRICS_TOKEN}"])
async def test_the_edges_metrics_are_for_its_scraper_only(
    client: httpx.AsyncClient, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = await client.get("/metrics", headers=headers)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "http_requests_total" not in response.text


async def test_without_a_scrape_token_the_edge_serves_no_metrics(
    start_gateway: StartGateway,
) -> None:
    # An empty token is no token at all.
    gateway = await start_gateway("gateway-no-scraper", GATEWAY_METRICS_TOKEN="")
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        for headers in ({}, {"Authorization": f"Bearer {METRICS_TOKEN}"}):
            response = await client.get("/metrics", headers=headers)
            assert response.status_code == 404


async def test_upstream_gets_the_clients_headers_plus_only_the_gateways_own(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/catalog/products",
        content=b"raw bytes, no content type",
        headers={"Accept-Encoding": "identity", "User-Agent": "probe/1", "X-Custom": "1"},
    )
    seen = response.json()["headers"]
    sent = {name.lower() for name in response.request.headers}
    gateway_sets = {
        "host",
        "x-request-id",
        "traceparent",
        "x-forwarded-for",
        "x-forwarded-proto",
        "x-forwarded-host",
    }
    assert set(seen) == (sent - {"connection"}) | gateway_sets
    assert seen["accept-encoding"] == "identity"
    assert seen["user-agent"] == "probe/1"
    assert "content-type" not in seen
