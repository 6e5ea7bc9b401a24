"""Emporium gateway: edge proxy, edge auth, rate limits and the merged docs portal."""
