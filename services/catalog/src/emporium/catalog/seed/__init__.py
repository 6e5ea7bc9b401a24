"""Demo data: `python -m emporium.catalog.seed` loads the demo catalog idempotently."""

from emporium.catalog.seed.loader import load_demo, load_synthetic, upsert_categories

__all__ = ["load_demo", "load_synthetic", "upsert_categories"]
