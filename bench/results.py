"""Where benchmark reports go: bench/results/<name>-<stamp>.md and <name>-latest.md."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def save(name: str, report: str) -> None:
    """Print the report and write it twice: stamped with the time, and as the latest."""
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"{name}-{stamp}.md").write_text(report)
    (RESULTS / f"{name}-latest.md").write_text(report)


def heading(title: str) -> str:
    """A report's first line: its title and when it was measured."""
    return f"# {title}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
