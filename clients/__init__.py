"""API clients generated from the merged OpenAPI document, and the tooling that refreshes them."""
