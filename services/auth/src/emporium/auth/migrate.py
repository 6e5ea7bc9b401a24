"""`python -m emporium.auth.migrate [alembic args]` (default: upgrade head)."""

from emporium.auth.settings import get_settings
from emporium.servicekit.migrations import main

if __name__ == "__main__":
    main("emporium.auth", get_settings)
