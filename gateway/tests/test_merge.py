"""Merging the services' OpenAPI documents into one: schemas, servers, missing services."""

from __future__ import annotations

import copy
import json

from openapi_spec_validator import validate

from emporium.gateway.docs.merge import ServiceDoc, merge

from .openapi_specs import service_spec


def test_merge_keeps_identical_schemas_once_and_renames_differing_ones() -> None:
    a = service_spec("A", "/a", {"name": {"type": "string"}}, op_id="same-id")
    b = service_spec("B", "/b", {"sku": {"type": "string"}}, op_id="same-id")
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
    a = service_spec("A", "/a", {"name": {"type": "string"}}, op_id="a-id")
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
    a = service_spec("A", "/a", {"name": {"type": "string"}}, op_id="a-id")
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
    a = service_spec("A", "/a", {"name": {"type": "string"}}, op_id="a-id")
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
