"""The merged OpenAPI document and the docs portal served from it."""
