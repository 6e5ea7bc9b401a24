"""Products: the things the shop sells."""
