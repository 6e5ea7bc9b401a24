"""The merged OpenAPI document served live: real services, a service that is down, the pages."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate

from .conftest import StartGateway, start_upstream, upstreams_env
from .openapi_specs import service_spec
from .realsystem import RealSystem
from .servers import ServerProcess


@pytest.mark.slow
async def test_merged_document_of_real_services_is_valid_openapi_31(
    real_system: RealSystem,
) -> None:
    async with httpx.AsyncClient(base_url=real_system.url) as client:
        merged = (await client.get("/openapi.json")).json()
        auth_spec = (await client.get(f"{real_system.auth.url}/openapi.json")).json()
        catalog_spec = (await client.get(f"{real_system.catalog.url}/openapi.json")).json()
    validate(merged)
    assert merged["openapi"].startswith("3.1")
    for spec, prefixes in ((auth_spec, ("/auth", "/.well-known")), (catalog_spec, ("/catalog",))):
        for path, item in spec["paths"].items():
            if path.startswith(prefixes):
                assert set(item) <= set(merged["paths"][path])
    assert "/auth/token" in merged["paths"]
    assert "/catalog/products" in merged["paths"]
    assert list(merged["components"]["securitySchemes"]) == ["OAuth2"]
    assert (
        merged["components"]["securitySchemes"]["OAuth2"]["flows"]["password"]["tokenUrl"]
        == "/auth/token"
    )
    # Each service documents its own scopes; the merged document has those of every service.
    password = "components", "securitySchemes", "OAuth2", "flows", "password"
    assert set(_at(auth_spec, *password)["scopes"]) == {"auth:admin"}
    assert set(_at(catalog_spec, *password)["scopes"]) == {"catalog:write", "catalog:reserve"}
    assert set(_at(merged, *password)["scopes"]) == {
        "auth:admin",
        "catalog:write",
        "catalog:reserve",
    }
    ids = [op["operationId"] for item in merged["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    groups = {g["name"]: g["tags"] for g in merged["x-tagGroups"]}
    assert auth_spec["info"]["title"] in groups
    assert catalog_spec["info"]["title"] in groups
    assert any(name.endswith("(unavailable)") for name in groups)  # orders is down
    refs = json.dumps(merged)
    for schema_ref in {r for r in refs.split('"') if r.startswith("#/components/schemas/")}:
        assert schema_ref.rsplit("/", 1)[-1] in merged["components"]["schemas"]
    assert "HTTPValidationError" not in merged["components"]["schemas"]
    for item in merged["paths"].values():
        for operation in item.values():
            for response in operation["responses"].values():
                for link in response.get("links", {}).values():
                    assert link["operationId"] in ids
    for item in merged["paths"].values():
        for operation in item.values():
            validation = operation["responses"].get("422")
            if validation is not None:
                assert validation["content"] == {
                    "application/problem+json": {
                        "schema": {"$ref": "#/components/schemas/ValidationProblem"}
                    }
                }


@pytest.mark.slow
async def test_a_service_that_comes_back_is_documented_again(
    start_gateway: StartGateway, echo: ServerProcess, log_dir: Path
) -> None:
    spec = service_spec("Orders", "/orders", {"id": {"type": "string"}}, op_id="orders-items-list")
    orders = await start_upstream("spec-orders", log_dir, FAKE_OPENAPI=json.dumps(spec))
    await orders.stop()
    gateway = await start_gateway(
        "docs",
        GATEWAY_UPSTREAMS=upstreams_env({"orders": (orders.url, ["/orders"])}),
        GATEWAY_OPENAPI_RETRY_SECONDS="0.3",
    )
    try:
        async with httpx.AsyncClient(base_url=gateway.url) as client:
            down = (await client.get("/openapi.json")).json()
            assert "/orders/items" not in down["paths"]
            assert down["x-tagGroups"] == [
                {"name": "Orders (unavailable)", "tags": ["orders (unavailable)"]}
            ]
            landing = await client.get("/")
            assert landing.status_code == 200
            assert "unavailable" in landing.text

            await orders.start(ready_path="/readyz")
            for _ in range(50):
                merged = (await client.get("/openapi.json")).json()
                if "/orders/items" in merged["paths"]:
                    break
                await asyncio.sleep(0.1)
            assert "/orders/items" in merged["paths"]
            assert merged["x-tagGroups"] == [{"name": "Orders", "tags": ["items"]}]
            validate(merged)
    finally:
        await gateway.stop()
        await orders.stop()


@pytest.mark.slow
async def test_a_ready_gateway_documents_every_ready_service(
    start_gateway: StartGateway, log_dir: Path
) -> None:
    spec = service_spec("Orders", "/orders", {"id": {"type": "string"}}, op_id="orders-items-list")
    orders = await start_upstream("late-orders", log_dir, FAKE_OPENAPI=json.dumps(spec))
    await orders.stop()  # the service comes up after the gateway, as in a parallel start
    gateway = await start_gateway(
        "late-docs",
        GATEWAY_READINESS_CACHE_SECONDS="0",  # each probe sees the change at once
        GATEWAY_UPSTREAMS=upstreams_env({"orders": (orders.url, ["/orders"])}),
        GATEWAY_OPENAPI_RETRY_SECONDS="3600",  # no background retry can be what fixes it
    )
    try:
        async with httpx.AsyncClient(base_url=gateway.url) as client:
            assert (await client.get("/readyz")).status_code == 503
            await orders.start(ready_path="/readyz")
            assert (await client.get("/readyz")).status_code == 200
            merged = (await client.get("/openapi.json")).json()
            assert "/orders/items" in merged["paths"]
            assert merged["x-tagGroups"] == [{"name": "Orders", "tags": ["items"]}]
    finally:
        await gateway.stop()
        await orders.stop()


@pytest.mark.slow
async def test_landing_page_lists_each_service(real_system: RealSystem) -> None:
    async with httpx.AsyncClient(base_url=real_system.url) as client:
        page = await client.get("/")
        merged = (await client.get("/openapi.json")).json()
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    services = {s["name"]: s for s in merged["x-emporium-services"]}
    for name in ("auth", "catalog"):
        assert f'data-service="{name}"' in page.text
        assert services[name]["operations"] > 0
        assert f'<td class="operations">{services[name]["operations"]}</td>' in page.text
        assert services[name]["version"] in page.text
    assert 'data-service="orders"' in page.text
    assert "healthy" in page.text
    assert "unavailable" in page.text
    assert "https://" not in page.text  # nothing from outside the gateway


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_docs_pages_load_their_assets_from_the_gateway(
    real_system: RealSystem, path: str
) -> None:
    async with httpx.AsyncClient(base_url=real_system.url) as client:
        page = await client.get(path)
        assert page.status_code == 200
        assert "cdn" not in page.text
        assert "https://" not in page.text
        assets = [a for a in page.text.replace("'", '"').split('"') if a.startswith("/static/")]
        assert assets
        for asset in assets:
            assert (await client.get(asset)).status_code == 200, asset


@pytest.mark.slow
async def test_merged_servers_start_with_the_page_origin_and_keep_the_public_url(
    real_system: RealSystem,
) -> None:
    async with httpx.AsyncClient(base_url=real_system.url) as client:
        merged = (await client.get("/openapi.json")).json()
    assert [s["url"] for s in merged["servers"]] == ["/", real_system.public_url]


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_docs_with_a_trailing_slash_redirect_relatively(
    real_system: RealSystem, path: str
) -> None:
    # Relative, so it never depends on what the gateway believes its scheme and host are (a TLS
    # ingress or a proxy whose X-Forwarded-* it does not trust would otherwise send it astray).
    headers = {"Host": "shop.example.com"}
    async with httpx.AsyncClient(base_url=real_system.url, headers=headers) as client:
        response = await client.get(f"{path}/?q=1")
    assert response.status_code == 307
    assert response.headers["location"] == f"{path}?q=1"


def _at(document: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The member of `document` at the path `keys`."""
    for key in keys:
        document = document[key]
    return document
