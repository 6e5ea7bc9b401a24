"""`python -m clients.generate [--check]`: regenerate the typed Python client (`make client`).

The client in clients/python/src/emporium/client is generated, never edited: the merged OpenAPI
is built from the code (clients.openapi), openapi-python-client renders it and ruff formats it
with the repository's settings. `--check` renders into a temporary folder and lists what differs
from the committed client instead of replacing it.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "clients" / "python"
CONFIG = PROJECT / "openapi-python-client.yaml"
PACKAGE = PROJECT / "src" / "emporium" / "client"
# Only what a Python process needs: no service or gateway settings from the caller's shell.
_KEPT_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


class GenerationFailed(Exception):
    """A step of the generation failed; the message carries its output."""


def _run(command: list[str], *, cwd: Path = ROOT) -> str:
    env = {k: v for k, v in os.environ.items() if k in _KEPT_ENV}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise GenerationFailed(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def code_spec_json() -> str:
    """The merged OpenAPI built from the code (clients.openapi), in a clean environment."""
    return _run([sys.executable, "-m", "clients.openapi"])


def render(destination: Path) -> Path:
    """Generate the client package into `destination` (which must not exist); returns it."""
    with tempfile.TemporaryDirectory(prefix="emporium-openapi-") as tmp:
        spec = Path(tmp) / "openapi.json"
        spec.write_text(code_spec_json())
        output = _run(
            [
                sys.executable,
                "-m",
                "openapi_python_client",
                "generate",
                "--path",
                str(spec),
                "--config",
                str(CONFIG),
                "--meta",
                "none",
                "--output-path",
                str(destination),
            ]
        )
    # Warnings mean an operation or schema was left out: a partial client is no client.
    if "encountered while generating" in output:
        raise GenerationFailed(f"openapi-python-client could not render everything:\n{output}")
    (destination / "py.typed").write_text("")
    config = str(ROOT / "pyproject.toml")
    ruff = [sys.executable, "-m", "ruff"]
    _run([*ruff, "check", "--config", config, "--fix-only", "--select", "F,I,UP", str(destination)])
    _run([*ruff, "format", "--config", config, str(destination)])
    return destination


def _files(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): p.read_text()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def differences(expected: Path, actual: Path) -> list[str]:
    """Unified diffs (and missing or extra files) of the package `actual` against `expected`."""
    want, have = _files(expected), _files(actual)
    problems = [f"missing: {name}" for name in sorted(want.keys() - have.keys())]
    problems += [f"not generated any more: {name}" for name in sorted(have.keys() - want.keys())]
    for name in sorted(want.keys() & have.keys()):
        if want[name] != have[name]:
            diff = difflib.unified_diff(
                have[name].splitlines(keepends=True),
                want[name].splitlines(keepends=True),
                fromfile=f"committed/{name}",
                tofile=f"generated/{name}",
            )
            problems.append("".join(diff))
    return problems


def main(argv: list[str] | None = None) -> int:
    """Regenerate the client in place, or with --check only report what would change."""
    parser = argparse.ArgumentParser(prog="python -m clients.generate")
    parser.add_argument("--check", action="store_true", help="report differences, change nothing")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="emporium-client-") as tmp:
        fresh = render(Path(tmp) / "client")
        if args.check:
            problems = differences(fresh, PACKAGE)
            for problem in problems:
                print(problem, file=sys.stderr)
            return 1 if problems else 0
        if PACKAGE.exists():
            shutil.rmtree(PACKAGE)
        shutil.copytree(fresh, PACKAGE, ignore=shutil.ignore_patterns("__pycache__"))
    print(f"generated {PACKAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
