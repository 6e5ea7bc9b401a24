"""Idempotent upserts of the demo catalog, and a synthetic bulk set for benchmarks."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, text, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from emporium.catalog.categories.models import Category
from emporium.catalog.products.models import Product
from emporium.catalog.seed.data import CATEGORIES, CURRENCY, PRODUCTS

EDITABLE = ("name", "description", "price_cents", "currency", "category_id")


async def upsert_categories(
    conn: AsyncConnection, categories: dict[str, str]
) -> dict[str, uuid.UUID]:
    """Insert or rename categories by slug; returns slug → id."""
    stmt = insert(Category).values(
        [{"id": uuid.uuid4(), "slug": slug, "name": name} for slug, name in categories.items()]
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[Category.slug],
        set_={"name": stmt.excluded.name, "updated_at": func.now()},
        where=Category.name.is_distinct_from(stmt.excluded.name),
    )
    await conn.execute(stmt)
    rows = await conn.execute(
        select(Category.slug, Category.id).where(Category.slug.in_(list(categories)))
    )
    return dict(rows.all())


async def load_demo(conn: AsyncConnection) -> tuple[int, int]:
    """Upsert the demo categories and products (stock is set only when a product is new)."""
    category_ids = await upsert_categories(conn, CATEGORIES)
    values = [
        {
            "id": uuid.uuid4(),
            "sku": sku,
            "name": name,
            "description": description,
            "price_cents": price,
            "currency": CURRENCY,
            "category_id": category_ids[slug],
            "stock": 20 + (index * 37) % 180,
        }
        for index, (sku, slug, name, price, description) in enumerate(PRODUCTS)
    ]
    stmt = insert(Product).values(values)
    current = tuple_(*(getattr(Product, c) for c in EDITABLE))
    wanted = tuple_(*(getattr(stmt.excluded, c) for c in EDITABLE))
    stmt = stmt.on_conflict_do_update(
        index_elements=[Product.sku],
        set_={
            **{c: getattr(stmt.excluded, c) for c in EDITABLE},
            "version": Product.version + 1,
            "updated_at": func.now(),
        },
        where=current.is_distinct_from(wanted),
    )
    await conn.execute(stmt)
    return len(category_ids), len(values)


async def load_synthetic(conn: AsyncConnection, count: int, *, prefix: str = "SYN") -> int:
    """Insert `count` generated products (sku `<prefix>-<n>`) in one statement; idempotent."""
    slug = f"synthetic-{prefix.lower()}"
    category_ids = await upsert_categories(conn, {slug: f"Synthetic ({prefix})"})
    adjectives = ["Compact", "Deluxe", "Classic", "Smart", "Rugged"]
    adjectives += ["Eco", "Pro", "Mini", "Ultra", "Vintage"]
    nouns = ["Lamp", "Kettle", "Backpack", "Speaker", "Notebook"]
    nouns += ["Jacket", "Drill", "Camera", "Blender", "Chair"]
    result = await conn.execute(
        text(
            """
            INSERT INTO product (id, sku, name, description, price_cents, currency,
                                 category_id, stock, active, created_at, updated_at)
            SELECT gen_random_uuid(), :prefix || '-' || n,
                   (CAST(:adjectives AS text[]))[1 + n % 10] || ' '
                       || (CAST(:nouns AS text[]))[1 + (n / 10) % 10] || ' ' || n,
                   'Generated product number ' || n || ' for load tests.',
                   100 + (n * 7919) % 100000, :currency, :category_id,
                   (n * 13) % 50, n % 20 <> 0,
                   now() - make_interval(secs => n), now()
            FROM generate_series(1, :count) AS n
            ON CONFLICT (sku) DO NOTHING
            """
        ),
        {
            "prefix": prefix,
            "adjectives": adjectives,
            "nouns": nouns,
            "currency": CURRENCY,
            "category_id": category_ids[slug],
            "count": count,
        },
    )
    await conn.execute(text("ANALYZE product"))
    return int(result.rowcount or 0)


__all__ = ["load_demo", "load_synthetic", "upsert_categories"]
