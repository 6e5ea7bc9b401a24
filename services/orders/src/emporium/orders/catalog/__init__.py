"""The catalog as orders sees it: stock reservations through the gateway."""
