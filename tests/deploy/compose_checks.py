"""Checks of compose.yaml (as parsed YAML) against the code's parts, settings and routes."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from tests.deploy.dockerfile import probe_problems, url_path_problem
from tests.deploy.parts import CONTAINER_PORT, Part, env_name_problem

_SECRET_PATH = re.compile(r"/run/secrets/([\w.-]+)")
_URL = re.compile(r"https?://[^\s'\"]+")


def environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's `environment`, list or mapping form, as a mapping."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


def container_ports(service: dict[str, Any]) -> list[int]:
    """The container-side ports a service publishes."""
    ports = []
    for entry in service.get("ports") or []:
        target = entry.get("target") if isinstance(entry, dict) else str(entry).rsplit(":", 1)[-1]
        ports.append(int(str(target).split("/")[0]))
    return ports


def healthcheck_argv(service: dict[str, Any]) -> list[str] | None:
    """The exec-form healthcheck command (after "CMD"), or None for none or shell form."""
    test = (service.get("healthcheck") or {}).get("test")
    if isinstance(test, list) and test[:1] == ["CMD"]:
        return [str(arg) for arg in test[1:]]
    return None


def healthcheck_problems(name: str, service: dict[str, Any]) -> list[str]:
    """Any exec-form healthcheck works under Podman too: no argument holds a space."""
    test = (service.get("healthcheck") or {}).get("test")
    if not isinstance(test, list) or test[:1] != ["CMD"]:
        return []
    spaced = [arg for arg in test if any(c.isspace() for c in str(arg))]
    if spaced:
        return [f"compose {name} healthcheck: arguments with spaces break under Podman: {spaced}"]
    return []


def secret_names(service: dict[str, Any]) -> set[str]:
    """Names of the secrets mounted into a service (short or long syntax)."""
    names = set()
    for entry in service.get("secrets") or []:
        names.add(entry if isinstance(entry, str) else entry.get("target") or entry["source"])
    return names


def urls_in(value: str) -> list[str]:
    """Every http(s) URL in an env value, including those inside JSON."""
    return _URL.findall(value)


def _url_problem(
    where: str, url: str, services: dict[str, Any], parts: dict[str, Part]
) -> str | None:
    host = urlsplit(url).hostname or ""
    if host not in parts:
        return None if host not in services else f"{where}: {url} points at {host}, not a part"
    if urlsplit(url).path:
        return url_path_problem(where, url, parts[host])
    if urlsplit(url).port != CONTAINER_PORT:
        return f"{where}: {url} uses port {urlsplit(url).port}, {host} listens on {CONTAINER_PORT}"
    return None


def service_problems(
    name: str, service: dict[str, Any], part: Part, doc: dict[str, Any], parts: dict[str, Part]
) -> list[str]:
    """One app or migration service: env names, URLs and secret files match the code."""
    problems = []
    services = doc.get("services") or {}
    for key, value in environment(service).items():
        problem = env_name_problem(key, part)
        if problem:
            problems.append(f"compose {name}: {problem}")
        for url in urls_in(value):
            problems += filter(None, [_url_problem(f"compose {name} {key}", url, services, parts)])
        for secret in _SECRET_PATH.findall(value):
            if secret not in secret_names(service):
                problems.append(f"compose {name} {key}: reads /run/secrets/{secret}, not mounted")
            if secret not in (doc.get("secrets") or {}):
                problems.append(f"compose {name} {key}: secret {secret} is not declared")
    if (service.get("build") or {}).get("target") not in (None, part.name):
        problems.append(f"compose {name}: builds target {service['build']['target']}")
    return problems


def compose_problems(doc: dict[str, Any], parts: tuple[Part, ...]) -> list[str]:
    """Every part runs in compose as the code expects; only the gateway is published."""
    services: dict[str, Any] = doc.get("services") or {}
    named = {p.name: p for p in parts}
    problems = []
    for part in parts:
        service = services.get(part.name)
        if service is None:
            problems.append(f"compose: no service {part.name}")
            continue
        problems += service_problems(part.name, service, part, doc, named)
        health = healthcheck_argv(service)
        if health is None:
            problems.append(f"compose {part.name}: no exec-form healthcheck")
        else:
            problems += probe_problems(f"compose {part.name} healthcheck", health, part)
        if not service.get("restart"):
            problems.append(f"compose {part.name}: no restart policy")
        depends = service.get("depends_on") or {}
        if isinstance(depends, list) or any(
            d.get("condition") not in ("service_healthy", "service_completed_successfully")
            for d in depends.values()
        ):
            problems.append(f"compose {part.name}: depends_on must wait for health or completion")
        if part.has_migrations:
            migrate = services.get(f"{part.name}-migrate")
            expected = ["python", "-m", f"{part.package}.migrate"]
            if migrate is None or list(migrate.get("command") or [])[:3] != expected:
                problems.append(
                    f"compose: no {part.name}-migrate service running {' '.join(expected)}"
                )
            else:
                problems += service_problems(f"{part.name}-migrate", migrate, part, doc, named)
            condition = (depends.get(f"{part.name}-migrate") or {}).get("condition")
            if condition != "service_completed_successfully":
                problems.append(
                    f"compose {part.name}: does not wait for {part.name}-migrate to succeed"
                )
        ports = container_ports(service)
        if part.name == "gateway":
            if ports != [CONTAINER_PORT]:
                problems.append(f"compose gateway: publishes {ports}, expected [{CONTAINER_PORT}]")
        elif ports:
            problems.append(f"compose {part.name}: publishes {ports}; only the gateway may")
    for name, service in services.items():
        if name not in named and not name.endswith("-migrate") and container_ports(service):
            if service.get("profiles") != ["observability"]:
                problems.append(f"compose {name}: publishes ports; only the gateway may")
            elif any(not str(p).startswith("127.0.0.1:") for p in service.get("ports") or []):
                problems.append(f"compose {name}: an observability UI is published past loopback")
        if name not in named:
            problems += healthcheck_problems(name, service)
    upstreams = environment(services.get("gateway") or {}).get("GATEWAY_UPSTREAMS")
    if upstreams is not None:
        listed = {u["name"] for u in json.loads(upstreams)}
        missing = {p.name for p in parts if p.name != "gateway"} - listed
        if missing:
            problems.append(f"compose gateway: GATEWAY_UPSTREAMS lacks {sorted(missing)}")
    return problems
