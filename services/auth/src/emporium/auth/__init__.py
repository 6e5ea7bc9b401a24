"""Emporium auth service."""
