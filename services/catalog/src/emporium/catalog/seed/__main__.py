"""`python -m emporium.catalog.seed [--synthetic N]` into CATALOG_DATABASE_URL's database."""

from __future__ import annotations

import argparse
import asyncio
import sys

from emporium.catalog.seed.loader import load_demo, load_synthetic
from emporium.catalog.settings import get_settings
from emporium.servicekit.db import make_engine


async def seed(synthetic: int) -> None:
    """Load the demo catalog (and optionally `synthetic` generated products)."""
    engine = make_engine(get_settings())
    try:
        async with engine.begin() as conn:
            categories, products = await load_demo(conn)
            sys.stdout.write(f"demo catalog: {categories} categories, {products} products\n")
            if synthetic:
                added = await load_synthetic(conn, synthetic)
                sys.stdout.write(f"synthetic products: {added} added\n")
    finally:
        await engine.dispose()


def main() -> None:
    """Parse the command line and seed."""
    parser = argparse.ArgumentParser(prog="python -m emporium.catalog.seed", description=__doc__)
    parser.add_argument(
        "--synthetic", type=int, default=0, metavar="N", help="also add N generated products"
    )
    args = parser.parse_args()
    asyncio.run(seed(args.synthetic))


if __name__ == "__main__":
    main()
