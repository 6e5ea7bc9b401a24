"""The merged OpenAPI document: merging rules, validity, real services, a service that is down."""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate

from emporium.gateway.docs.merge import ServiceDoc, merge

from .conftest import StartGateway, start_upstream, upstreams_env
from .realsystem import RealSystem
from .servers import ServerProcess


def _spec(title: str, prefix: str, item_props: dict[str, Any], *, op_id: str) -> dict[str, Any]:
    ref = {"$ref": "#/components/schemas/Item"}
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "1.2.3"},
        "paths": {
            f"{prefix}/items": {
                "get": {
                    "operationId": op_id,
                    "tags": ["items"],
                    "security": [{"OAuth2": ["catalog:write"]}],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/ItemPage"}
                                }
                            },
                        },
                        "422": {
                            "description": "bad",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Problem"}
                                }
                            },
                        },
                    },
                }
            },
            "/healthz": {
                "get": {
                    "operationId": f"{title}-health",
                    "responses": {"200": {"description": "ok"}},
                }
            },
        },
        "components": {
            "schemas": {
                "Item": {"type": "object", "properties": item_props},
                "ItemPage": {
                    "type": "object",
                    "properties": {"items": {"type": "array", "items": ref}},
                },
                "Problem": {"type": "object", "properties": {"title": {"type": "string"}}},
            },
            "securitySchemes": {
                "OAuth2": {
                    "type": "oauth2",
                    "flows": {
                        "password": {"tokenUrl": "token", "scopes": {"x:y": f"from {title}"}}
                    },
                }
            },
        },
    }


def test_merge_keeps_identical_schemas_once_and_renames_differing_ones() -> None:
    a = _spec("A", "/a", {"name": {"type": "string"}}, op_id="same-id")
    b = _spec("B", "/b", {"sku": {"type": "string"}}, op_id="same-id")
    docs = [
        ServiceDoc("alpha", ("/a",), copy.deepcopy(a), available=True),
        ServiceDoc("beta", ("/b",), copy.deepcopy(b), available=True),
    ]
    merged = merge(docs, title="T", version="9", token_path="/auth/token")
    validate(merged)
    schemas = merged["components"]["schemas"]
    assert "Problem" in schemas  # identical in both: kept once
    assert {"AlphaItem", "BetaItem", "AlphaItemPage", "BetaItemPage"} <= set(schemas)
    assert "Item" not in schemas
    assert "ItemPage" not in schemas
    assert schemas["AlphaItem"]["properties"] == {"name": {"type": "string"}}
    assert schemas["BetaItemPage"]["properties"]["items"]["items"] == {
        "$ref": "#/components/schemas/BetaItem"
    }
    refs = json.dumps(merged["paths"])
    assert '"#/components/schemas/AlphaItemPage"' in refs
    assert '"#/components/schemas/BetaItemPage"' in refs
    assert "/healthz" not in merged["paths"]  # not routed to a service by the gateway
    ids = [op["operationId"] for item in merged["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids)) == 2
    # Both services tag their operations "items": tags are kept apart per service.
    assert merged["x-tagGroups"] == [
        {"name": "A", "tags": ["alpha items"]},
        {"name": "B", "tags": ["beta items"]},
    ]
    schemes = merged["components"]["securitySchemes"]
    assert list(schemes) == ["OAuth2"]
    assert schemes["OAuth2"]["flows"]["password"]["tokenUrl"] == "/auth/token"
    assert [s["url"] for s in merged["servers"]] == ["/"]


def test_merge_lists_the_page_origin_first_and_the_public_url_second() -> None:
    a = _spec("A", "/a", {"name": {"type": "string"}}, op_id="a-id")
    docs = [ServiceDoc("alpha", ("/a",), a, available=True)]

    merged = merge(
        docs,
        title="T",
        version="9",
        token_path="/auth/token",
        public_url="https://shop.example.com/",
    )

    validate(merged)
    # Relative first: Swagger UI resolves it (and the relative tokenUrl) against the page.
    assert [s["url"] for s in merged["servers"]] == ["/", "https://shop.example.com"]
    assert merged["components"]["securitySchemes"]["OAuth2"]["flows"]["password"][
        "tokenUrl"
    ].startswith("/")


def test_merge_marks_a_missing_service_unavailable() -> None:
    a = _spec("A", "/a", {"name": {"type": "string"}}, op_id="a-id")
    docs = [
        ServiceDoc("alpha", ("/a",), a, available=True),
        ServiceDoc("orders", ("/orders",), None, available=False),
    ]
    merged = merge(docs, title="T", version="9", token_path="/auth/token")
    validate(merged)
    assert "/a/items" in merged["paths"]
    assert merged["x-tagGroups"][1] == {
        "name": "Orders (unavailable)",
        "tags": ["orders (unavailable)"],
    }
    assert "**unavailable**" in merged["info"]["description"]


def test_merge_documents_what_the_gateway_itself_answers() -> None:
    a = _spec("A", "/a", {"name": {"type": "string"}}, op_id="a-id")
    a["paths"]["/a/items"]["post"] = {
        "operationId": "a-create",
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
        "responses": {"201": {"description": "created"}},
    }
    docs = [ServiceDoc("alpha", ("/a",), a, available=True)]
    merged = merge(docs, title="T", version="9", token_path="/auth/token")
    validate(merged)
    item = merged["paths"]["/a/items"]
    for operation in item.values():
        responses = operation["responses"]
        assert {"401", "429", "502", "503", "504"} <= set(responses)
        assert responses["401"]["headers"]["WWW-Authenticate"]["required"] is True
        assert responses["429"]["headers"]["Retry-After"]["required"] is True
        assert responses["503"]["headers"]["Retry-After"]["required"] is True
        assert responses["504"]["headers"]["Retry-After"]["required"] is True
        for response in responses.values():
            assert "RateLimit-Remaining" in response["headers"]
    assert "413" in item["post"]["responses"]  # a body: the edge's size limit
    assert "413" not in item["get"]["responses"]
    assert "408" in item["post"]["responses"]  # a body: the edge's minimum rate
    assert "minimum rate" in item["post"]["responses"]["408"]["description"]
    assert "408" not in item["get"]["responses"]
    assert merged["components"]["schemas"]["Problem"]["properties"] == {
        "title": {"type": "string"}
    }  # the services' own definition wins
    assert "ValidationProblem" in merged["components"]["schemas"]


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
    spec = _spec("Orders", "/orders", {"id": {"type": "string"}}, op_id="orders-items-list")
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
    spec = _spec("Orders", "/orders", {"id": {"type": "string"}}, op_id="orders-items-list")
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
