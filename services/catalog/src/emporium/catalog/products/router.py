"""Product routes: public reads, writes with `catalog:write`."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from emporium.catalog.dependencies import CatalogWriterDep
from emporium.catalog.products import service
from emporium.catalog.products.dependencies import IfMatchDep, ProductDep, ProductQueryDep
from emporium.catalog.products.schemas import (
    MAX_INT32,
    PRODUCT_PAGE_JSON,
    ProductCreate,
    ProductPage,
    ProductRead,
    ProductRestock,
    ProductUpdate,
)
from emporium.servicekit.db import SessionDep
from emporium.servicekit.openapi import (
    ETAG_HEADER,
    LOCATION_HEADER,
    id_links,
    problem_responses,
    response_headers,
)
from emporium.servicekit.read_connection import ReadConnectionDep

router = APIRouter(prefix="/catalog/products", tags=["products"])


@router.get("", summary="List products", response_model=ProductPage)
async def list_products(connection: ReadConnectionDep, query: ProductQueryDep) -> Response:
    """Active products, filtered and sorted, one keyset page at a time (public)."""
    page = await service.list_products(query, connection=connection)
    # Rows straight from the database, serialised once as ProductPage's JSON (not validated
    # into models and again as the response model).
    return Response(PRODUCT_PAGE_JSON.dump_json(page), media_type="application/json")


@router.get(
    "/{product_id}",
    summary="Get a product",
    responses={**response_headers(200, ETag=ETAG_HEADER), **problem_responses(404)},
)
async def get_product(product: ProductDep, response: Response) -> ProductRead:
    """One product, active or not (public); the `ETag` header is its version."""
    response.headers["ETag"] = service.etag(product)
    return ProductRead.model_validate(product)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a product",
    responses={
        201: {
            "headers": {"ETag": ETAG_HEADER, "Location": LOCATION_HEADER},
            "links": id_links(
                "product_id",
                "catalog-products-get-product",
                "catalog-products-update-product",
                "catalog-products-restock-product",
                "catalog-products-deactivate-product",
            ),
        },
        **problem_responses(
            409, 422, s409="The SKU is taken.", s422="Invalid body, or no such category."
        ),
    },
)
async def create_product(
    _: CatalogWriterDep, data: ProductCreate, session: SessionDep, response: Response
) -> ProductRead:
    """Create a product (needs `catalog:write`); a taken SKU is 409."""
    product = await service.create_product(data, session=session)
    response.headers["Location"] = f"/catalog/products/{product.id}"
    response.headers["ETag"] = service.etag(product)
    return ProductRead.model_validate(product)


@router.patch(
    "/{product_id}",
    summary="Update a product",
    responses={
        **response_headers(200, ETag=ETAG_HEADER),
        **problem_responses(404, 409, 412, 422, s409="The SKU is taken."),
    },
)
async def update_product(
    _: CatalogWriterDep,
    product_id: uuid.UUID,
    data: ProductUpdate,
    session: SessionDep,
    response: Response,
    if_match: IfMatchDep = None,
) -> ProductRead:
    """Change some fields (needs `catalog:write`); a stale `If-Match` is 412.

    `stock` is not one of them (sending it is a 422): use `POST …/restock` to add units.
    """
    product = await service.update_product(product_id, data, if_match=if_match, session=session)
    response.headers["ETag"] = service.etag(product)
    return ProductRead.model_validate(product)


@router.post(
    "/{product_id}/restock",
    summary="Restock a product",
    response_description="The product with its new stock; the `ETag` header is its new version.",
    responses={
        **response_headers(200, ETag=ETAG_HEADER),
        **problem_responses(404, 409, s409=f"The stock would exceed {MAX_INT32} units."),
    },
)
async def restock_product(
    _: CatalogWriterDep,
    product_id: uuid.UUID,
    data: ProductRestock,
    session: SessionDep,
    response: Response,
) -> ProductRead:
    """Add delivered units to the stock, atomically (needs `catalog:write`).

    Relative, so it never loses a concurrent reservation or restock; the answer carries the
    product's new `ETag`. Stock cannot be set with PATCH.
    """
    product = await service.restock_product(product_id, data.quantity, session=session)
    response.headers["ETag"] = service.etag(product)
    return ProductRead.model_validate(product)


@router.delete(
    "/{product_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Deactivate a product",
    responses=problem_responses(404, 412),
)
async def deactivate_product(
    _: CatalogWriterDep,
    product_id: uuid.UUID,
    session: SessionDep,
    if_match: IfMatchDep = None,
) -> None:
    """Soft delete: the product leaves the list and cannot be reserved (needs `catalog:write`).

    The row stays (orders keep referring to it); PATCH `{"active": true}` brings it back.
    """
    await service.deactivate_product(product_id, if_match=if_match, session=session)
