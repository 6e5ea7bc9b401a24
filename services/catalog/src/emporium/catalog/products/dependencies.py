"""Dependency aliases of the products domain."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Header, Query

from emporium.catalog.products import service
from emporium.catalog.products.models import Product
from emporium.catalog.products.schemas import ProductQuery
from emporium.servicekit.db import SessionDep

ProductQueryDep = Annotated[ProductQuery, Query()]

IfMatchDep = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="An ETag from a previous read; the write is refused with 412 if stale.",
    ),
]


async def valid_product(product_id: uuid.UUID, session: SessionDep) -> Product:
    """The product named by the path (active or not), or a 404 problem."""
    return await service.get_product(product_id, session=session)


ProductDep = Annotated[Product, Depends(valid_product)]
