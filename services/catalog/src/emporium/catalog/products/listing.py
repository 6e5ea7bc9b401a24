"""The public list's SELECT, split into its shape (what changes the SQL) and its values."""

from __future__ import annotations

import functools
import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    false,
    func,
    literal_column,
    select,
    tuple_,
)

from emporium.catalog.products.models import SEARCH_CONFIG, Product
from emporium.catalog.products.pagination import SORT_KEYS, resume_after
from emporium.catalog.products.schemas import ProductQuery, ProductRead, ProductSort

_WORD = re.compile(r"[^\W_]+")

READ_COLUMNS = tuple(Product.__table__.c[name] for name in ProductRead.model_fields)
"""The columns a client sees (ProductRead), in a listing's SELECT."""

PARAMETERS = frozenset(
    {"category_id", "min_price", "max_price", "tsquery", "after_key", "after_id", "limit"}
)
"""The names of the bound parameters whose values come from the request."""


def search_query(text: str) -> str | None:
    """A to_tsquery() string matching every word of `text` as a prefix; None if no words."""
    words = _WORD.findall(text.lower())[:16]
    return " & ".join(f"{w}:*" for w in words) or None


@dataclass(frozen=True, slots=True)
class ListingShape:
    """What makes two listings' SQL differ: the sort, which filters are set, a cursor."""

    sort: ProductSort
    category: bool = False
    min_price: bool = False
    max_price: bool = False
    in_stock: bool | None = None
    search: bool = False
    matches_nothing: bool = False
    """A search with no words in it: the page is empty."""
    cursor: bool = False


@dataclass(frozen=True, slots=True)
class Listing:
    """One request's listing: its shape and the values of its parameters (by name)."""

    shape: ListingShape
    values: dict[str, Any]


def plan_listing(query: ProductQuery, *, category_id: uuid.UUID | None) -> Listing:
    """The shape and values of `query`'s listing; InvalidCursor if its cursor cannot be used."""
    values: dict[str, Any] = {"limit": query.limit + 1}  # one more row says if a page follows
    if category_id is not None:
        values["category_id"] = category_id
    if query.min_price is not None:
        values["min_price"] = query.min_price
    if query.max_price is not None:
        values["max_price"] = query.max_price
    searched = query.q is not None and bool(query.q.strip())
    tsquery = search_query(query.q) if query.q is not None and searched else None
    if tsquery is not None:
        values["tsquery"] = tsquery
    if query.cursor:
        values["after_key"], values["after_id"] = resume_after(query.sort, query.cursor)
    shape = ListingShape(
        sort=query.sort,
        category=category_id is not None,
        min_price=query.min_price is not None,
        max_price=query.max_price is not None,
        in_stock=query.in_stock,
        search=tsquery is not None,
        matches_nothing=searched and tsquery is None,
        cursor=bool(query.cursor),
    )
    return Listing(shape, values)


def listing_statement(query: ProductQuery, *, category_id: uuid.UUID | None) -> Select[Product]:
    """The keyset-paged SELECT of active products behind the public list, values bound."""
    listing = plan_listing(query, category_id=category_id)
    return shape_statement(listing.shape).params(listing.values)


@functools.cache
def shape_statement(shape: ListingShape) -> Select[Product]:
    """The SELECT of every listing of this shape; request values are named bind parameters."""
    stmt = select(Product).where(Product.active)  # matches the indexes' `WHERE active`
    if shape.category:
        stmt = stmt.where(Product.category_id == bindparam("category_id", type_=Product.id.type))
    if shape.min_price:
        stmt = stmt.where(Product.price_cents >= bindparam("min_price", type_=Integer))
    if shape.max_price:
        stmt = stmt.where(Product.price_cents <= bindparam("max_price", type_=Integer))
    if shape.in_stock is True:
        stmt = stmt.where(Product.stock > 0)
    elif shape.in_stock is False:
        stmt = stmt.where(Product.stock == 0)
    if shape.matches_nothing:
        stmt = stmt.where(false())
    if shape.search:
        config: ColumnElement[Any] = literal_column(f"'{SEARCH_CONFIG}'::regconfig")
        tsquery = func.to_tsquery(config, bindparam("tsquery", type_=String))
        stmt = stmt.where(Product.search.bool_op("@@")(tsquery))
    key = SORT_KEYS[shape.sort]
    if shape.cursor:
        row: ColumnElement[Any] = tuple_(key.column, Product.id)
        after = tuple_(
            bindparam("after_key", type_=key.column.type),
            bindparam("after_id", type_=Product.id.type),
        )
        stmt = stmt.where(row < after if key.descending else row > after)
    if key.descending:
        stmt = stmt.order_by(key.column.desc(), Product.id.desc())
    else:
        stmt = stmt.order_by(key.column.asc(), Product.id.asc())
    return stmt.limit(bindparam("limit", type_=Integer))
