"""Idempotency keys: one request body per key and user, one answer replayed forever."""
