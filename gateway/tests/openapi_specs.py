"""A service's OpenAPI document, as the merge tests need one."""

from __future__ import annotations

from typing import Any


def service_spec(
    title: str, prefix: str, item_props: dict[str, Any], *, op_id: str
) -> dict[str, Any]:
    """One list operation under `prefix` returning an `Item` schema with `item_props`."""
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
