"""compose.yaml is valid Compose, runs every part as the code expects, and needs only .env."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from tests.deploy.compose_checks import compose_problems, environment
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
    default = {name: s for name, s in services.items() if not s.get("profiles")}
    assert [name for name, s in default.items() if s.get("ports")] == ["gateway"]
    postgres = services["postgres"]
    assert postgres["image"].startswith("postgres:")
    assert any("docker-entrypoint-initdb.d" in v for v in postgres["volumes"])
    assert postgres["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    for part in discover():
        if part.has_migrations:
            assert f"PG_{part.name.upper()}_PASSWORD" in postgres["environment"]


OBSERVABILITY = {"otel-collector", "jaeger", "prometheus", "grafana"}


def test_observability_is_a_profile_publishing_its_uis_on_loopback_only() -> None:
    services = compose_doc()["services"]
    profiled = {name for name, s in services.items() if s.get("profiles")}
    assert profiled == OBSERVABILITY
    assert all(services[name]["profiles"] == ["observability"] for name in OBSERVABILITY)
    for name in OBSERVABILITY:
        for port in services[name].get("ports") or []:
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} beyond loopback"


def test_docker_compose_config_accepts_the_observability_profile(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    env = clean_env() | dict.fromkeys(required_variables(), "dummy-value")
    command: list[str | Path] = [
        compose_cli(),
        "--profile",
        "observability",
        "config",
        "--services",
    ]
    result = run(command, cwd=project, env=env)
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) >= OBSERVABILITY


def test_every_part_sends_traces_when_an_endpoint_is_set_and_prometheus_scrapes_it() -> None:
    services = compose_doc()["services"]
    scrape = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text("utf-8"))
    targets = {
        target
        for job in scrape["scrape_configs"]
        for static in job["static_configs"]
        for target in static["targets"]
    }
    collector = services["otel-collector"]
    assert "backend" in collector["networks"]
    for part in discover():
        env = environment(services[part.name])
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "${OTEL_EXPORTER_OTLP_ENDPOINT:-}"
        assert f"{part.name.upper()}_METRICS_TOKEN" in env
        assert f"{part.name}:8000" in targets


def test_grafana_dashboard_charts_only_metrics_the_code_exports() -> None:
    dashboard = json.loads((ROOT / "deploy/grafana/dashboards/emporium.json").read_text("utf-8"))
    exprs = " ".join(t["expr"] for p in dashboard["panels"] for t in p["targets"])
    used = set(re.findall(r"\b([a-z_]+_(?:total|seconds_bucket|state))\b", exprs))
    code = "\n".join(
        path.read_text("utf-8")
        for path in ROOT.glob("*/**/src/emporium/**/*.py")
        if ".venv" not in path.parts
    )
    for name in used:
        base = name.removesuffix("_total").removesuffix("_bucket")
        declared = {f'"{base}"', f'"{base}_total"'}
        assert any(d in code for d in declared), f"the dashboard charts {name}, not exported"
