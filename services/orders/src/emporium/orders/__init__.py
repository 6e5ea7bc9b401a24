"""Emporium orders service."""
