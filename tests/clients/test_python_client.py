"""The committed Python client is exactly what `make client` generates from today's code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clients import generate


@pytest.mark.slow
def test_committed_client_is_what_the_code_generates(tmp_path: Path) -> None:
    fresh = generate.render(tmp_path / "client")

    problems = generate.differences(fresh, generate.PACKAGE)

    assert problems == [], "the client is stale; run `make client` and commit:\n" + "\n".join(
        problems
    )


def test_differences_name_a_changed_a_missing_and_a_stale_file(tmp_path: Path) -> None:
    expected = tmp_path / "expected"
    shutil.copytree(generate.PACKAGE, expected, ignore=shutil.ignore_patterns("__pycache__"))
    actual = tmp_path / "actual"
    shutil.copytree(expected, actual)
    assert generate.differences(expected, actual) == []

    (actual / "types.py").write_text((actual / "types.py").read_text() + "# edited by hand\n")
    (actual / "errors.py").unlink()
    (actual / "models" / "left_over.py").write_text("")

    problems = generate.differences(expected, actual)

    assert "missing: errors.py" in problems
    assert "not generated any more: models/left_over.py" in problems
    assert any("committed/types.py" in p and "-# edited by hand" in p for p in problems)
