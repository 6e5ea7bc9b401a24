"""Dependency aliases shared by the catalog's domains."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from emporium.catalog.scopes import RESERVE, WRITE
from emporium.catalog.settings import CatalogSettings
from emporium.servicekit.security import require_scopes
from emporium.servicekit.tokens import Principal

CatalogWriterDep = Annotated[Principal, require_scopes(WRITE)]
"""A caller allowed to create and change products and categories."""

StockReserverDep = Annotated[Principal, require_scopes(RESERVE)]
"""A caller (the orders service) allowed to reserve, confirm and release stock."""


async def get_catalog_settings(request: Request) -> CatalogSettings:
    """The settings the running app was built with."""
    settings: CatalogSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[CatalogSettings, Depends(get_catalog_settings)]
