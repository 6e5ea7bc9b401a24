"""Dependencies of the docs portal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from emporium.gateway.docs.registry import SpecRegistry


def get_registry(request: Request) -> SpecRegistry:
    """The registry of the services' documents (created in the lifespan)."""
    registry: SpecRegistry = request.app.state.spec_registry
    return registry


RegistryDep = Annotated[SpecRegistry, Depends(get_registry)]
