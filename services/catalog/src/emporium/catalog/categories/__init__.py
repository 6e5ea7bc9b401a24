"""Categories: how products are grouped."""
