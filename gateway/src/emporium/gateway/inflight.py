"""A cap on the requests one client address has in flight at the edge at once."""

from __future__ import annotations


class InFlightLimiter:
    """Counts in-flight requests per client address (this process only)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._counts: dict[str, int] = {}

    def in_flight(self, key: str) -> int:
        """Requests `key` has in flight now."""
        return self._counts.get(key, 0)

    def acquire(self, key: str) -> bool:
        """Take one of `key`'s slots; False when all are taken."""
        count = self._counts.get(key, 0)
        if count >= self.limit:
            return False
        self._counts[key] = count + 1
        return True

    def release(self, key: str) -> None:
        """Give back a slot taken with `acquire`."""
        remaining = self._counts[key] - 1
        if remaining:
            self._counts[key] = remaining
        else:
            del self._counts[key]
