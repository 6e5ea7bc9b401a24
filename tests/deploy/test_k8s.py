"""Each kustomize overlay renders, is valid for a pinned Kubernetes, and matches the code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.k8s_checks import k8s_problems
from tests.deploy.parts import ROOT, discover
from tests.deploy.tools import (
    COMPONENTS,
    KUBERNETES_VERSION,
    OVERLAYS,
    render_overlay,
    run,
    tool,
)


def docs_of(rendered: str) -> list[dict[str, Any]]:
    """The objects of a rendered overlay."""
    return [d for d in yaml.safe_load_all(rendered) if d]


@pytest.mark.parametrize("components", [(), *((c,) for c in COMPONENTS)], ids=str)
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_is_valid_kubernetes_and_matches_the_code(
    overlay: str, components: tuple[str, ...], tmp_path: Path
) -> None:
    rendered = render_overlay(overlay, tmp_path, components)
    manifest = tmp_path / f"{overlay}.yaml"
    manifest.write_text(rendered, encoding="utf-8")
    validator = tool("kubernetes-validate", "PyPI kubernetes-validate")
    result = run([validator, "--strict", "--quiet", "-k", KUBERNETES_VERSION, manifest])
    assert result.returncode == 0, result.stdout + result.stderr
    assert k8s_problems(docs_of(rendered), discover()) == []


def test_dev_runs_its_own_postgres_from_generated_secrets(tmp_path: Path) -> None:
    docs = docs_of(render_overlay("dev", tmp_path))
    kinds = {(d["kind"], d["metadata"]["name"].rsplit("-", 1)[0]) for d in docs}
    assert ("StatefulSet", "postgres") in {(d["kind"], d["metadata"]["name"]) for d in docs}
    for secret in ("auth-database", "auth-admin", "jwt-signing", "orders-client"):
        assert ("Secret", secret) in kinds or any(
            d["kind"] == "Secret" and d["metadata"]["name"].startswith(secret) for d in docs
        ), secret
    images = [
        c["image"]
        for d in docs
        if d["kind"] == "Deployment"
        for c in d["spec"]["template"]["spec"]["containers"]
    ]
    assert all(image.endswith(":dev") for image in images)


def test_prod_uses_external_database_more_replicas_and_pinned_images(tmp_path: Path) -> None:
    docs = docs_of(render_overlay("prod", tmp_path))
    assert not [d for d in docs if d["kind"] in ("StatefulSet", "Secret")]
    for deployment in (d for d in docs if d["kind"] == "Deployment"):
        assert deployment["spec"]["replicas"] >= 2
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            tag = container["image"].rsplit(":", 1)
            assert len(tag) == 2, container["image"]
            assert tag[1] not in ("latest", "dev"), container["image"]
    assert all(
        d["spec"]["minReplicas"] >= 2 for d in docs if d["kind"] == "HorizontalPodAutoscaler"
    )


def test_dev_postgres_init_script_is_the_compose_one() -> None:
    compose_script = ROOT / "deploy" / "postgres" / "init-databases.sh"
    k8s_script = ROOT / "k8s" / "overlays" / "dev" / "postgres" / "init-databases.sh"
    assert k8s_script.read_bytes() == compose_script.read_bytes()


def test_no_secret_is_committed_under_k8s() -> None:
    for path in (ROOT / "k8s").rglob("*.yaml"):
        kinds = [d.get("kind") for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
        assert "Secret" not in kinds, f"{path} defines a Secret"
    for local in ("k8s/overlays/dev/secrets/postgres.env", "secrets/jwt_signing_key.pem", ".env"):
        ignored = run(["git", "check-ignore", "-q", "--no-index", local], cwd=ROOT)
        if ignored.returncode == 128:
            pytest.skip(f"git cannot tell what it ignores here: {ignored.stderr.strip()}")
        assert ignored.returncode == 0, f"{local} must be git-ignored"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_observability_component_sets_otel_and_scrape_annotations(
    overlay: str, tmp_path: Path
) -> None:
    docs = docs_of(render_overlay(overlay, tmp_path, ("observability",)))
    (config,) = [
        d
        for d in docs
        if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("emporium-config")
    ]
    assert config["data"]["OTEL_EXPORTER_OTLP_ENDPOINT"].startswith("http://")
    assert config["data"]["OTEL_TRACES_SAMPLER"] == "parentbased_traceidratio"
    for deployment in (d for d in docs if d["kind"] == "Deployment"):
        if deployment["metadata"]["name"] == "postgres":
            continue
        annotations = deployment["spec"]["template"]["metadata"]["annotations"]
        assert annotations["prometheus.io/scrape"] == "true"
        assert annotations["prometheus.io/port"] == "8000"
    policies = {d["metadata"]["name"]: d for d in docs if d["kind"] == "NetworkPolicy"}
    assert policies["telemetry"]["metadata"]["namespace"] == "emporium"
    plain = docs_of(render_overlay(overlay, tmp_path / "plain"))
    assert not any("OTEL_EXPORTER_OTLP_ENDPOINT" in (d.get("data") or {}) for d in plain)
