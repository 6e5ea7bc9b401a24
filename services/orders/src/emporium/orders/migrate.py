"""`python -m emporium.orders.migrate [alembic args]` (default: upgrade head)."""

from emporium.orders.settings import get_settings
from emporium.servicekit.migrations import main

if __name__ == "__main__":
    main("emporium.orders", get_settings)
