"""What the code says: the deployable parts, their settings' env names and their routes."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.routing import Match

from emporium.servicekit.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
CONTAINER_PORT = 8000
# Read by the server or by OpenTelemetry's SDK (servicekit/telemetry.py), not by settings.
SERVER_ENV = frozenset(
    {
        "FORWARDED_ALLOW_IPS",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_EXPORTER_OTLP_HEADERS",
        "OTEL_SDK_DISABLED",
        "OTEL_SERVICE_NAME",
        "OTEL_RESOURCE_ATTRIBUTES",
        "OTEL_TRACES_SAMPLER",
        "OTEL_TRACES_SAMPLER_ARG",
        "OTEL_PROPAGATORS",
    }
)
"""Variables read by the ASGI server itself rather than by a settings class."""


@dataclass(frozen=True)
class Part:
    """One deployable package: a service under services/ or the gateway."""

    name: str
    folder: Path
    settings_cls: type[ServiceSettings]
    has_migrations: bool
    routes: Callable[[str], bool] = field(compare=False, repr=False)

    @property
    def package(self) -> str:
        """The import package, e.g. `emporium.catalog`."""
        return f"emporium.{self.name}"

    @property
    def env_prefix(self) -> str:
        """The settings class's env prefix, e.g. `CATALOG_`."""
        return str(self.settings_cls.model_config.get("env_prefix", "")).upper()

    @property
    def env_names(self) -> frozenset[str]:
        """Every variable name the settings class reads (prefix + field, upper case)."""
        return frozenset(self.env_prefix + f.upper() for f in self.settings_cls.model_fields)


def package_folders() -> list[Path]:
    """Every package under services/ plus the gateway."""
    services = sorted(p for p in (ROOT / "services").iterdir() if (p / "pyproject.toml").exists())
    return [*services, ROOT / "gateway"]


def _package_name(folder: Path) -> str:
    found = [
        p.name for p in (folder / "src" / "emporium").iterdir() if (p / "__init__.py").exists()
    ]
    assert len(found) == 1, f"{folder}: expected one package under src/emporium, found {found}"
    return found[0]


def _settings_class(package: str) -> type[ServiceSettings]:
    module = importlib.import_module(f"{package}.settings")
    classes = [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj)
        and issubclass(obj, ServiceSettings)
        and obj.__module__ == module.__name__
    ]
    assert len(classes) == 1, f"{package}.settings: expected one ServiceSettings subclass"
    return classes[0]


def _starlette(app: Any) -> Starlette:
    """The Starlette app inside an ASGI app wrapped by middleware or an edge layer."""
    for _ in range(20):
        if isinstance(app, Starlette):
            return app
        app = getattr(app, "app", None)
    raise AssertionError("no Starlette application inside the factory's result")


def route_checker(package: str, settings_cls: type[ServiceSettings]) -> Callable[[str], bool]:
    """Build the app through its factory (nothing connects) and answer 'is GET path routed?'."""
    factory = importlib.import_module(f"{package}.main").create_app
    app = _starlette(factory(settings_cls(environment="test")))
    routes = list(app.router.routes)

    def has(path: str) -> bool:
        scope = {"type": "http", "path": path, "method": "GET", "root_path": ""}
        return any(route.matches(scope)[0] is Match.FULL for route in routes)

    return has


@cache
def discover() -> tuple[Part, ...]:
    """Every deployable part, introspected from the code."""
    parts = []
    for folder in package_folders():
        name = _package_name(folder)
        package = f"emporium.{name}"
        settings_cls = _settings_class(package)
        parts.append(
            Part(
                name=name,
                folder=folder,
                settings_cls=settings_cls,
                has_migrations=importlib.util.find_spec(f"{package}.migrate") is not None,
                routes=route_checker(package, settings_cls),
            )
        )
    return tuple(parts)


def by_name() -> dict[str, Part]:
    """The parts keyed by name."""
    return {p.name: p for p in discover()}


def owner_of(env_name: str) -> Part | None:
    """The part whose env prefix starts this variable name, if any."""
    for part in discover():
        if env_name.upper().startswith(part.env_prefix):
            return part
    return None


def env_name_problem(env_name: str, part: Part | None = None) -> str | None:
    """Why `env_name` is not a setting (of `part`, or of whichever part's prefix it has)."""
    if env_name in SERVER_ENV:
        return None
    owner = owner_of(env_name)
    if owner is None:
        return f"{env_name}: no part has this prefix and the server does not read it"
    if part is not None and owner.name != part.name:
        return f"{env_name}: set for {part.name} but has the prefix of {owner.name}"
    if env_name.upper() not in owner.env_names:
        return f"{env_name}: not a field of {owner.settings_cls.__name__}"
    return None
