"""A small Dockerfile reader and the checks of the images against the code."""

from __future__ import annotations

import importlib
import json
import re
import shlex
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from emporium.servicekit import probe
from tests.deploy.parts import CONTAINER_PORT, Part

SERVERS = frozenset({"uvicorn", "granian"})
PROBE = ("python", "-m", "emporium.servicekit.probe")
"""The healthcheck command every image and compose service runs, followed by a URL."""
_APP_SPEC = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
_URL = re.compile(r"https?://[^\s'\"]+")


@dataclass
class Stage:
    """One build stage: its name, what it starts FROM, and its instructions in order."""

    name: str
    base: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def last(self, keyword: str) -> str | None:
        """The argument of this stage's last `keyword` instruction."""
        found = [arg for kw, arg in self.instructions if kw == keyword]
        return found[-1] if found else None


def logical_lines(text: str) -> list[str]:
    """Instructions with continuation lines joined and comments dropped."""
    lines: list[str] = []
    current = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        lines.append((current + stripped).strip())
        current = ""
    if current:
        lines.append(current.strip())
    return lines


def parse(text: str) -> dict[str, Stage]:
    """The named stages of a Dockerfile."""
    stages: dict[str, Stage] = {}
    stage: Stage | None = None
    for line in logical_lines(text):
        keyword, _, arg = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            words = arg.split()
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else f"#{len(stages)}"
            stage = Stage(name=name, base=words[0])
            stages[name] = stage
        elif stage is not None:
            stage.instructions.append((keyword, arg.strip()))
    return stages


def resolved(stages: dict[str, Stage], name: str, keyword: str) -> str | None:
    """`keyword`'s value in stage `name`, inherited from the stages it is built FROM."""
    stage: Stage | None = stages.get(name)
    while stage is not None:
        value = stage.last(keyword)
        if value is not None:
            return value
        stage = stages.get(stage.base)
    return None


def exec_form(value: str | None) -> list[str] | None:
    """The JSON array of an exec-form CMD/HEALTHCHECK CMD, or None for shell form."""
    if value is None:
        return None
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, list) and all(isinstance(x, str) for x in parsed) else None


def option(argv: list[str], name: str) -> str | None:
    """The value of `--name value` or `--name=value` in argv."""
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def app_spec_problem(spec: str, part: Part) -> str | None:
    """Why `module:attr` is not this part's importable app factory."""
    module_name, _, attr = spec.partition(":")
    if not module_name.startswith(part.package + "."):
        return f"{part.name}: CMD serves {spec}, which is not in {part.package}"
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        return f"{part.name}: CMD module {module_name} does not import: {exc}"
    if not callable(getattr(module, attr, None)):
        return f"{part.name}: {module_name} has no callable {attr}"
    return None


def cmd_problems(stages: dict[str, Stage], part: Part) -> list[str]:
    """The image's CMD runs the part's factory on 0.0.0.0:8000 with proxy headers."""
    argv = exec_form(resolved(stages, part.name, "CMD"))
    if not argv:
        return [f"{part.name}: CMD missing or not in exec form"]
    problems = []
    server = argv[0].rsplit("/", 1)[-1]
    if server not in SERVERS:
        problems.append(f"{part.name}: CMD runs {server}, expected one of {sorted(SERVERS)}")
    specs = [a for a in argv[1:] if _APP_SPEC.match(a)]
    if len(specs) != 1:
        problems.append(f"{part.name}: CMD names no single module:factory ({argv})")
    else:
        problems += filter(None, [app_spec_problem(specs[0], part)])
    if "--factory" not in argv:
        problems.append(f"{part.name}: CMD lacks --factory (create_app is a factory)")
    if option(argv, "--host") != "0.0.0.0":  # noqa: S104 (a container listens on all)
        problems.append(f"{part.name}: CMD does not listen on 0.0.0.0")
    if option(argv, "--port") != str(CONTAINER_PORT):
        problems.append(f"{part.name}: CMD port is {option(argv, '--port')}, not {CONTAINER_PORT}")
    if server == "uvicorn" and "--proxy-headers" not in argv:
        problems.append(f"{part.name}: CMD lacks --proxy-headers")
    return problems


def url_path_problem(where: str, text: str, part: Part) -> str | None:
    """Why the first local URL in `text` is not port 8000 and a route of `part`."""
    match = _URL.search(text)
    if match is None:
        return f"{where}: no URL in {text!r}"
    url = urlsplit(match.group(0))
    if url.port != CONTAINER_PORT:
        return f"{where}: probes port {url.port}, the app listens on {CONTAINER_PORT}"
    if not part.routes(url.path):
        return f"{where}: {url.path} is not a route of {part.name}"
    return None


def probe_problems(where: str, argv: list[str], part: Part) -> list[str]:
    """Why an exec-form healthcheck is not the servicekit probe of a route of `part`."""
    spaced = [arg for arg in argv if any(c.isspace() for c in arg)]
    if spaced:
        # Podman's Docker-compatible API splits exec-form arguments at whitespace.
        return [f"{where}: arguments with spaces break under Podman: {spaced}"]
    if tuple(argv[: len(PROBE)]) != PROBE or len(argv) <= len(PROBE):
        return [f"{where}: runs {argv}, expected {' '.join(PROBE)} URL"]
    try:
        url, _ = probe.parse_args(argv[len(PROBE) :])
    except probe.UsageError as exc:
        return [f"{where}: the probe rejects {argv[len(PROBE) :]}: {exc}"]
    return list(filter(None, [url_path_problem(where, url, part)]))


def image_problems(stages: dict[str, Stage], parts: tuple[Part, ...]) -> list[str]:
    """Every part has an image target that runs it unprivileged with a tool-free healthcheck."""
    problems = []
    for part in parts:
        if part.name not in stages:
            problems.append(f"{part.name}: no Dockerfile target named {part.name}")
            continue
        problems += cmd_problems(stages, part)
        user = (resolved(stages, part.name, "USER") or "root").split(":")[0]
        if not user.isdigit() or int(user) == 0:
            problems.append(f"{part.name}: USER {user!r} is not a numeric non-root uid")
        health = resolved(stages, part.name, "HEALTHCHECK") or ""
        argv = exec_form(health.split(" CMD ", 1)[-1]) if " CMD " in f" {health}" else None
        if not argv:
            problems.append(f"{part.name}: HEALTHCHECK is not in exec form")
        else:
            problems += probe_problems(f"{part.name} HEALTHCHECK", argv, part)
        copies = [arg for kw, arg in stages[part.name].instructions if kw == "COPY"]
        if not any("--from=" in c for c in copies):
            problems.append(f"{part.name}: the image copies nothing from a build stage")
    return problems


def copy_sources(stages: dict[str, Stage]) -> list[str]:
    """Build-context paths that COPY instructions read (not --from copies)."""
    sources = []
    for stage in stages.values():
        for keyword, arg in stage.instructions:
            if keyword == "COPY" and "--from=" not in arg:
                words = [w for w in shlex.split(arg) if not w.startswith("--")]
                sources += words[:-1]
    return sources
