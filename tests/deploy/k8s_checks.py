"""Checks of a rendered kustomize overlay (a list of objects) against the code's parts."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from tests.deploy.compose_checks import urls_in
from tests.deploy.parts import CONTAINER_PORT, Part, env_name_problem

_SECRET_PATH = re.compile(r"/run/secrets/([\w.-]+)")


def find(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any] | None:
    """The object of this kind and name, if rendered."""
    return next((d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name), None)


def base_name(name: str, docs: list[dict[str, Any]], kind: str) -> dict[str, Any] | None:
    """The object named `name` or `name-<kustomize hash>`."""
    return next(
        (
            d
            for d in docs
            if d["kind"] == kind
            and re.fullmatch(rf"{name}(-[a-z0-9]{{10}})?", d["metadata"]["name"])
        ),
        None,
    )


def config_data(docs: list[dict[str, Any]], container: dict[str, Any]) -> dict[str, str]:
    """The ConfigMap variables a container receives through envFrom."""
    data: dict[str, str] = {}
    for source in container.get("envFrom") or []:
        ref = (source.get("configMapRef") or {}).get("name")
        cm = find(docs, "ConfigMap", ref) if ref else None
        data.update((cm or {}).get("data") or {})
    return data


def port_of(container: dict[str, Any], port: int | str) -> int | None:
    """A numeric port, or the containerPort of a named one."""
    if isinstance(port, int):
        return port
    return next(
        (p["containerPort"] for p in container.get("ports") or [] if p.get("name") == port), None
    )


def mounted_secret_files(pod: dict[str, Any], container: dict[str, Any]) -> set[str]:
    """File names under /run/secrets that the pod's volumes put there."""
    mounts = {
        m["name"] for m in container.get("volumeMounts") or [] if m["mountPath"] == "/run/secrets"
    }
    files = set()
    for volume in pod.get("volumes") or []:
        if volume["name"] not in mounts:
            continue
        sources = (volume.get("projected") or {}).get("sources") or [
            {"secret": volume.get("secret")}
        ]
        for source in sources:
            for item in (source.get("secret") or {}).get("items") or []:
                files.add(item["path"])
    return files


def url_problem(
    where: str, url: str, docs: list[dict[str, Any]], parts: dict[str, Part]
) -> str | None:
    """A URL to a Service must use its port, and its path must be a route of the part."""
    parsed = urlsplit(url)
    host = parsed.hostname or ""
    if host not in parts:
        return None
    service = find(docs, "Service", host)
    if service is None:
        return f"{where}: {url} names Service {host}, which is not rendered"
    if parsed.port not in [p["port"] for p in service["spec"]["ports"]]:
        return f"{where}: {url} uses port {parsed.port}, Service {host} has another"
    if parsed.path and not parts[host].routes(parsed.path):
        return f"{where}: {parsed.path} is not a route of {host}"
    return None


def container_problems(
    where: str,
    pod: dict[str, Any],
    container: dict[str, Any],
    part: Part,
    docs: list[dict[str, Any]],
    parts: dict[str, Part],
) -> list[str]:
    """Env names, URLs, secret files and hardening of one container of `part`."""
    problems = []
    explicit = {e["name"]: e.get("value", "") for e in container.get("env") or []}
    for name in explicit:
        problems += [f"{where}: {p}" for p in filter(None, [env_name_problem(name, part)])]
    for name in config_data(docs, container):
        problems += [f"{where} ConfigMap: {p}" for p in filter(None, [env_name_problem(name)])]
    own = {
        k: v
        for k, v in {**config_data(docs, container), **explicit}.items()
        if k.startswith(part.env_prefix)
    }
    secret_files = mounted_secret_files(pod, container)
    for key, value in own.items():
        for url in urls_in(value):
            problems += filter(None, [url_problem(f"{where} {key}", url, docs, parts)])
        if where.startswith("Deployment"):
            for secret in _SECRET_PATH.findall(value):
                if secret not in secret_files:
                    problems.append(f"{where} {key}: reads /run/secrets/{secret}, not mounted")
    context = container.get("securityContext") or {}
    if (
        context.get("readOnlyRootFilesystem") is not True
        or context.get("allowPrivilegeEscalation") is not False
    ):
        problems.append(f"{where}: needs readOnlyRootFilesystem and no privilege escalation")
    if "ALL" not in ((context.get("capabilities") or {}).get("drop") or []):
        problems.append(f"{where}: does not drop ALL capabilities")
    if not any(m["mountPath"] == "/tmp" for m in container.get("volumeMounts") or []):  # noqa: S108
        problems.append(f"{where}: no writable /tmp")
    if not (container.get("resources") or {}).get("requests") or not container["resources"].get(
        "limits"
    ):
        problems.append(f"{where}: no resource requests and limits")
    if (pod.get("securityContext") or {}).get("runAsNonRoot") is not True:
        problems.append(f"{where}: pod does not set runAsNonRoot")
    return problems


def deployment_problems(
    part: Part, docs: list[dict[str, Any]], parts: dict[str, Part]
) -> list[str]:
    """Deployment, Service, probes, HPA, PDB and migration Job of one part."""
    where = f"Deployment {part.name}"
    deployment = find(docs, "Deployment", part.name)
    if deployment is None:
        return [f"k8s: no Deployment {part.name}"]
    pod = deployment["spec"]["template"]["spec"]
    container = next((c for c in pod["containers"] if c["name"] == part.name), None)
    if container is None:
        return [f"{where}: no container named {part.name}"]
    problems = container_problems(where, pod, container, part, docs, parts)
    for probe, required in (
        ("livenessProbe", True),
        ("readinessProbe", True),
        ("startupProbe", False),
    ):
        spec = (container.get(probe) or {}).get("httpGet")
        if spec is None:
            if required:
                problems.append(f"{where}: no HTTP {probe}")
            continue
        if port_of(container, spec["port"]) != CONTAINER_PORT:
            problems.append(f"{where}: {probe} port {spec['port']} is not {CONTAINER_PORT}")
        if not part.routes(spec["path"]):
            problems.append(f"{where}: {probe} path {spec['path']} is not a route of {part.name}")
    expected = {"livenessProbe": "/healthz", "readinessProbe": "/readyz"}
    for probe, path in expected.items():
        if ((container.get(probe) or {}).get("httpGet") or {}).get("path") != path:
            problems.append(f"{where}: {probe} must be {path}")
    service = find(docs, "Service", part.name)
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    if service is None:
        problems.append(f"k8s: no Service {part.name}")
    else:
        selector = service["spec"].get("selector") or {}
        if not selector or any(labels.get(k) != v for k, v in selector.items()):
            problems.append(f"Service {part.name}: selector does not select Deployment {part.name}")
        for port in service["spec"]["ports"]:
            if port_of(container, port.get("targetPort", port["port"])) != CONTAINER_PORT:
                target = port.get("targetPort")
                problems.append(f"Service {part.name}: targetPort {target} is not {CONTAINER_PORT}")
    for kind in ("HorizontalPodAutoscaler", "PodDisruptionBudget"):
        if not any(
            d["kind"] == kind
            and (
                d["spec"].get("scaleTargetRef", {}).get("name") == part.name
                or (
                    d["spec"].get("selector", {}).get("matchLabels", {}).items() <= labels.items()
                    and d["spec"].get("selector")
                )
            )
            for d in docs
        ):
            problems.append(f"k8s: no {kind} for {part.name}")
    if part.has_migrations:
        job = find(docs, "Job", f"{part.name}-migrate")
        command = ["python", "-m", f"{part.package}.migrate"]
        if job is None:
            problems.append(f"k8s: no Job {part.name}-migrate")
        else:
            job_pod = job["spec"]["template"]["spec"]
            migrate = job_pod["containers"][0]
            if list(migrate.get("command") or [])[:3] != command:
                problems.append(f"Job {part.name}-migrate: does not run {' '.join(command)}")
            problems += container_problems(
                f"Job {part.name}-migrate", job_pod, migrate, part, docs, parts
            )
    return problems


def k8s_problems(docs: list[dict[str, Any]], parts: tuple[Part, ...]) -> list[str]:
    """A rendered overlay runs every part as the code expects, behind one Ingress."""
    named = {p.name: p for p in parts}
    problems = [p for part in parts for p in deployment_problems(part, docs, named)]
    if find(docs, "NetworkPolicy", "default-deny") is None:
        problems.append("k8s: no default-deny NetworkPolicy")
    ingresses = [d for d in docs if d["kind"] == "Ingress"]
    backends = {
        path["backend"]["service"]["name"]
        for ingress in ingresses
        for rule in ingress["spec"].get("rules") or []
        for path in rule["http"]["paths"]
    }
    if backends != {"gateway"}:
        problems.append(f"k8s: Ingress backends are {sorted(backends)}, expected only the gateway")
    return problems
