"""Reservations: stock held for an order until it is confirmed, released or expires."""
