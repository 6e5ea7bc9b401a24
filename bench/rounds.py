"""Alternating rounds: every benchmark takes its cases in turn, round after round, and keeps
the median of each, so that a slow moment of the machine does not fall on one case alone."""

from __future__ import annotations

import statistics
from collections.abc import Iterator, Sequence


def announced(count: int) -> Iterator[int]:
    """The round numbers 0..count-1, each printed as `round i/count` when it starts."""
    for round_ in range(count):
        print(f"round {round_ + 1}/{count}", flush=True)
        yield round_


def median(values: Sequence[float]) -> float:
    """Median, nan when empty."""
    return statistics.median(values) if values else float("nan")
