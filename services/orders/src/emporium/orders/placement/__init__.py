"""Placing orders: idempotent, capped, one catalog call, and recovery of the unfinished."""
