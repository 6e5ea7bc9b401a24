"""Emporium catalog service."""
