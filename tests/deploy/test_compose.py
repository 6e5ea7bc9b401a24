"""compose.yaml is valid Compose, runs every part as the code expects, and needs only .env."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from tests.deploy.compose_checks import compose_problems
from tests.deploy.parts import ROOT, discover
from tests.deploy.tools import compose_cli, run, tool

REQUIRED = re.compile(r"\$\{(\w+):\?")


def compose_doc() -> dict[str, Any]:
    """compose.yaml as parsed YAML (anchors and merge keys resolved)."""
    doc: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return doc


def required_variables() -> set[str]:
    """Variables compose.yaml refuses to run without (`${VAR:?message}`)."""
    return set(REQUIRED.findall((ROOT / "compose.yaml").read_text(encoding="utf-8")))


def project_copy(tmp_path: Path) -> Path:
    """compose.yaml and what it mounts, with empty stand-in secret files."""
    shutil.copy(ROOT / "compose.yaml", tmp_path / "compose.yaml")
    shutil.copytree(ROOT / "deploy", tmp_path / "deploy")
    (tmp_path / "secrets").mkdir()
    for secret in compose_doc()["secrets"].values():
        (tmp_path / secret["file"]).touch()
    return tmp_path


def clean_env() -> dict[str, str]:
    """The process environment without any variable compose.yaml interpolates."""
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{(\w+)", text))
    return {k: v for k, v in os.environ.items() if k not in used}


def test_compose_runs_every_part_as_the_code_expects() -> None:
    assert compose_problems(compose_doc(), discover()) == []


def test_compose_file_validates_against_the_compose_spec() -> None:
    checker = tool("check-jsonschema", "PyPI check-jsonschema")
    result = run([checker, "--builtin-schema", "vendor.compose-spec", ROOT / "compose.yaml"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_docker_compose_config_accepts_it_with_the_required_values(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    env = clean_env() | dict.fromkeys(required_variables(), "dummy-value")
    result = run([compose_cli(), "config", "-q"], cwd=project, env=env)
    assert result.returncode == 0, result.stderr


def test_docker_compose_config_names_a_missing_required_value(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    missing = sorted(required_variables())[0]
    env = clean_env() | dict.fromkeys(required_variables() - {missing}, "x")
    result = run([compose_cli(), "config", "-q"], cwd=project, env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_env_example_lists_every_required_value_and_no_secret() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    values = dict(
        line.split("=", 1) for line in example.splitlines() if line and not line.startswith("#")
    )
    assert required_variables() <= values.keys()
    assert all(values[name] == "" for name in values if name.endswith("PASSWORD"))


def test_only_the_gateway_is_published_and_postgres_initialises_three_databases() -> None:
    services = compose_doc()["services"]
    assert [name for name, s in services.items() if s.get("ports")] == ["gateway"]
    postgres = services["postgres"]
    assert postgres["image"].startswith("postgres:")
    assert any("docker-entrypoint-initdb.d" in v for v in postgres["volumes"])
    assert postgres["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    for part in discover():
        if part.has_migrations:
            assert f"PG_{part.name.upper()}_PASSWORD" in postgres["environment"]
