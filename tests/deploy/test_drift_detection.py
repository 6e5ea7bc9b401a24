"""The drift checks catch a broken port, probe path or env var name (mutated copies)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from tests.deploy import dockerfile
from tests.deploy.compose_checks import compose_problems
from tests.deploy.k8s_checks import find, k8s_problems
from tests.deploy.parts import ROOT, discover
from tests.deploy.test_compose import compose_doc
from tests.deploy.test_k8s import docs_of
from tests.deploy.tools import render_overlay


@pytest.fixture(scope="module")
def k8s_docs(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The rendered dev overlay."""
    return docs_of(render_overlay("dev", tmp_path_factory.mktemp("k8s")))


def container(docs: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """The main container of Deployment `name`."""
    deployment = find(docs, "Deployment", name)
    assert deployment is not None
    containers: list[dict[str, Any]] = deployment["spec"]["template"]["spec"]["containers"]
    return containers[0]


def test_compose_port_probe_and_env_breakage_is_caught() -> None:
    doc = compose_doc()
    broken = copy.deepcopy(doc)
    broken["services"]["catalog"]["healthcheck"]["test"][-1] = "http://127.0.0.1:8000/ready"
    assert any(
        "/ready is not a route of catalog" in p for p in compose_problems(broken, discover())
    )

    broken = copy.deepcopy(doc)
    broken["services"]["gateway"]["ports"] = ["8000:8080"]
    assert any("publishes [8080]" in p for p in compose_problems(broken, discover()))

    broken = copy.deepcopy(doc)
    env = broken["services"]["orders"]["environment"]
    env["ORDERS_GATEWAY_ULR"] = env.pop("ORDERS_GATEWAY_URL")
    assert any("ORDERS_GATEWAY_ULR" in p for p in compose_problems(broken, discover()))

    broken = copy.deepcopy(doc)
    broken["services"]["catalog"]["environment"]["CATALOG_JWKS_URL"] = "http://auth:8000/jwks.json"
    assert any(
        "/jwks.json is not a route of auth" in p for p in compose_problems(broken, discover())
    )

    broken = copy.deepcopy(doc)
    broken["services"]["auth"]["environment"]["CATALOG_LOG_LEVEL"] = "DEBUG"
    assert any("prefix of catalog" in p for p in compose_problems(broken, discover()))


def test_k8s_port_probe_and_env_breakage_is_caught(k8s_docs: list[dict[str, Any]]) -> None:
    assert k8s_problems(k8s_docs, discover()) == []

    broken = copy.deepcopy(k8s_docs)
    container(broken, "orders")["readinessProbe"]["httpGet"]["path"] = "/ready"
    assert any("/ready is not a route of orders" in p for p in k8s_problems(broken, discover()))

    broken = copy.deepcopy(k8s_docs)
    container(broken, "auth")["ports"][0]["containerPort"] = 8080
    problems = k8s_problems(broken, discover())
    assert any("livenessProbe port http is not 8000" in p for p in problems)

    broken = copy.deepcopy(k8s_docs)
    service = find(broken, "Service", "catalog")
    assert service is not None
    service["spec"]["ports"][0]["port"] = 80
    assert any("Service catalog has another" in p for p in k8s_problems(broken, discover()))

    broken = copy.deepcopy(k8s_docs)
    container(broken, "auth")["env"][0]["name"] = "AUTH_DB_URL"
    assert any("AUTH_DB_URL: not a field" in p for p in k8s_problems(broken, discover()))

    broken = copy.deepcopy(k8s_docs)
    config = next(
        d for d in broken if d["kind"] == "ConfigMap" and "ORDERS_GATEWAY_URL" in d.get("data", {})
    )
    config["data"]["GATEWAY_UPSTREAM"] = "[]"
    assert any("GATEWAY_UPSTREAM: not a field" in p for p in k8s_problems(broken, discover()))


def test_dockerfile_breakage_is_caught() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    broken = text.replace("emporium.orders.main:create_app", "emporium.orders.mian:create_app")
    problems = dockerfile.image_problems(dockerfile.parse(broken), discover())
    assert any("emporium.orders.mian does not import" in p for p in problems)

    broken = text.replace('"--port", "8000"', '"--port", "8080"', 1)
    problems = dockerfile.image_problems(dockerfile.parse(broken), discover())
    assert any("port is 8080" in p for p in problems)

    broken = text.replace("8000/healthz", "8000/health")
    problems = dockerfile.image_problems(dockerfile.parse(broken), discover())
    assert any("/health is not a route" in p for p in problems)


def test_healthchecks_that_break_under_podman_are_caught() -> None:
    one_liner = [
        "CMD",
        "python",
        "-c",
        "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/readyz')",
    ]
    broken = compose_doc()
    broken["services"]["orders"]["healthcheck"]["test"] = one_liner
    assert any(
        "compose orders healthcheck: arguments with spaces break under Podman" in p
        for p in compose_problems(broken, discover())
    )

    broken = compose_doc()
    broken["services"]["postgres"]["healthcheck"]["test"] = ["CMD", "pg_isready -h 127.0.0.1"]
    assert any(
        "compose postgres healthcheck: arguments with spaces" in p
        for p in compose_problems(broken, discover())
    )

    broken = compose_doc()
    broken["services"]["auth"]["healthcheck"]["test"] = ["CMD-SHELL", "curl -f localhost:8000"]
    assert "compose auth: no exec-form healthcheck" in compose_problems(broken, discover())

    broken = compose_doc()
    test = broken["services"]["auth"]["healthcheck"]["test"]
    test.append("--timeout=never")
    assert any("the probe rejects" in p for p in compose_problems(broken, discover()))

    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    probe = '"python", "-m", "emporium.servicekit.probe", "http://127.0.0.1:8000/healthz"'
    assert probe in text
    inline = (
        '"python", "-c", "import urllib.request as u; u.urlopen(\'http://127.0.0.1:8000/healthz\')"'
    )
    problems = dockerfile.image_problems(dockerfile.parse(text.replace(probe, inline)), discover())
    assert any("HEALTHCHECK: arguments with spaces break under Podman" in p for p in problems)
    wget = '"wget", "-q", "http://127.0.0.1:8000/healthz"'
    problems = dockerfile.image_problems(dockerfile.parse(text.replace(probe, wget)), discover())
    assert any("expected python -m emporium.servicekit.probe URL" in p for p in problems)


def test_a_missing_part_is_caught(tmp_path: Path) -> None:
    doc = compose_doc()
    del doc["services"]["catalog"]
    assert "compose: no service catalog" in compose_problems(doc, discover())
