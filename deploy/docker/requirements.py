"""Print the third-party runtime requirements of the given package folders, one per line.

The image build installs these (pinned by constraints.txt) in a layer of their own, before
any source is copied, so editing code never re-downloads dependencies. Only
`[project].dependencies` are read: no extras, no dev tools. Packages of our own
(`emporium-*`) are skipped; they are installed from source in the next layer.

Usage: python requirements.py libs/servicekit services/auth > requirements.txt
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def canonical(name: str) -> str:
    """The PEP 503 normalized form of a distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_requirements(package_dirs: list[Path]) -> list[str]:
    """The unique third-party requirement strings of these packages, in first-seen order."""
    seen: dict[str, None] = {}
    for folder in package_dirs:
        project = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
        for requirement in project["project"].get("dependencies", []):
            match = _NAME.match(requirement)
            if match is None:
                raise SystemExit(f"{folder}: cannot read requirement {requirement!r}")
            if not canonical(match.group(1)).startswith("emporium-"):
                seen.setdefault(requirement.strip(), None)
    return list(seen)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    sys.stdout.write(
        "".join(f"{r}\n" for r in runtime_requirements([Path(a) for a in sys.argv[1:]]))
    )
