"""The Dockerfile builds one image per part that runs what the code provides."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch

from deploy.docker.requirements import canonical, runtime_requirements
from tests.deploy import dockerfile
from tests.deploy.parts import ROOT, discover


def stages() -> dict[str, dockerfile.Stage]:
    """The Dockerfile's stages."""
    return dockerfile.parse((ROOT / "Dockerfile").read_text(encoding="utf-8"))


def test_every_part_has_an_image_running_its_factory_unprivileged() -> None:
    assert dockerfile.image_problems(stages(), discover()) == []


def test_build_context_holds_everything_the_dockerfile_copies() -> None:
    allowed = [
        line[1:]
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.startswith("!")
    ]
    for source in dockerfile.copy_sources(stages()):
        assert (ROOT / source).exists(), f"COPY {source}: no such path"
        assert any(fnmatch(source, pattern) for pattern in allowed), f".dockerignore drops {source}"


def test_dockerignore_keeps_local_state_and_secrets_out() -> None:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert "*" in lines, "the build context must be an allow-list"
    assert not any(line.startswith(("!.", "!secrets", "!k8s")) for line in lines)


def test_images_install_only_pinned_runtime_dependencies() -> None:
    root = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    dev_tools = {canonical(name.split("[")[0]) for name in root["dependency-groups"]["dev"]}
    pinned = {
        canonical(line.split("==")[0])
        for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line
    }
    for part in discover():
        requirements = runtime_requirements([ROOT / "libs" / "servicekit", part.folder])
        names = {canonical(r.split("[")[0].split(";")[0].strip()) for r in requirements}
        assert names, part.name
        assert not names & dev_tools - {"pyyaml"}, f"{part.name} image would get dev tools"
        assert names <= pinned, f"{part.name}: not pinned in constraints.txt: {names - pinned}"


def test_migrations_are_a_command_of_their_own() -> None:
    for part in discover():
        argv = dockerfile.exec_form(dockerfile.resolved(stages(), part.name, "CMD")) or []
        assert not any("migrate" in arg for arg in argv), f"{part.name} migrates on start-up"


def test_servers_announce_no_banner() -> None:
    for part in discover():
        argv = dockerfile.exec_form(dockerfile.resolved(stages(), part.name, "CMD")) or []
        assert "--no-server-header" in argv, f"{part.name} would answer with `server: uvicorn`"
