"""`python -m emporium.catalog.migrate [alembic args]` (default: upgrade head)."""

from emporium.catalog.settings import get_settings
from emporium.servicekit.migrations import main

if __name__ == "__main__":
    main("emporium.catalog", get_settings)
