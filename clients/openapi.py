"""The merged OpenAPI document, built from the code: no database, no running system.

It is the document the gateway serves once every service is up: each service's app renders
its own document and the gateway's merge combines them, exactly as the registry does over
HTTP. `python -m clients.openapi` prints it.
"""

from __future__ import annotations

import importlib
import json
import logging
import sys
from typing import Any

from fastapi import FastAPI

from emporium.gateway.docs.merge import ServiceDoc
from emporium.gateway.docs.registry import merged_document
from emporium.gateway.settings import GatewaySettings


def service_document(name: str) -> dict[str, Any]:
    """The OpenAPI document the service `name` serves, rendered from its app factory."""
    module = importlib.import_module(f"emporium.{name}.main")
    app: FastAPI = module.create_app()
    return app.openapi()


def merged_spec(settings: GatewaySettings | None = None) -> dict[str, Any]:
    """The merged document of every upstream in the gateway's settings (defaults: all three)."""
    settings = settings or GatewaySettings()
    docs = [
        ServiceDoc(u.name, u.prefixes, service_document(u.name), available=True)
        for u in settings.upstreams
    ]
    return merged_document(docs, settings)


def main() -> int:
    """Print the merged document as JSON."""
    logging.disable(logging.WARNING)  # e.g. auth's note that it made an ephemeral signing key
    json.dump(merged_spec(), sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
