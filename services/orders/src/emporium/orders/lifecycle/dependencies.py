"""Dependencies of the order routes, each with its `Annotated` alias."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from emporium.orders.catalog.client import CatalogClient
from emporium.orders.lifecycle import service
from emporium.orders.lifecycle.models import Order
from emporium.orders.scopes import MANAGE
from emporium.orders.settings import OrdersSettings
from emporium.servicekit.db import SessionDep
from emporium.servicekit.security import PrincipalDep, require_scopes
from emporium.servicekit.tokens import Principal


async def get_catalog_client(request: Request) -> CatalogClient:
    """The catalog client created in the lifespan (token cache and breaker are shared)."""
    client: CatalogClient = request.app.state.catalog_client
    return client


async def get_sessionmaker(request: Request) -> async_sessionmaker[AsyncSession]:
    """The session factory, for work that needs several transactions (order placement)."""
    factory: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    return factory


async def get_orders_settings(request: Request) -> OrdersSettings:
    """The settings the app was built with."""
    settings: OrdersSettings = request.app.state.settings
    return settings


async def valid_order_id(
    order_id: uuid.UUID, session: SessionDep, principal: PrincipalDep
) -> Order:
    """The order named in the path, if the caller may see it; 404 otherwise."""
    return await service.get_visible_order(session=session, order_id=order_id, principal=principal)


CatalogClientDep = Annotated[CatalogClient, Depends(get_catalog_client)]
SessionFactoryDep = Annotated[async_sessionmaker[AsyncSession], Depends(get_sessionmaker)]
SettingsDep = Annotated[OrdersSettings, Depends(get_orders_settings)]
VisibleOrderDep = Annotated[Order, Depends(valid_order_id)]
ManagerDep = Annotated[Principal, require_scopes(MANAGE)]
