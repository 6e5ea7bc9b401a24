"""The package is a table of contents: it names every module and loads none of them."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import types

import emporium.servicekit as servicekit


def test_the_package_docstring_names_every_module() -> None:
    modules = {info.name for info in pkgutil.iter_modules(servicekit.__path__)}
    doc = servicekit.__doc__ or ""
    assert modules, "no modules found"
    assert [name for name in sorted(modules) if f"`{name}`" not in doc] == []


def test_the_package_exports_nothing() -> None:
    public = [
        name
        for name, value in vars(servicekit).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    ]
    assert public == []


def test_the_probe_command_loads_neither_fastapi_nor_sqlalchemy() -> None:
    # The probe runs every few seconds in each container: it must start in milliseconds.
    heavy = ("fastapi", "sqlalchemy", "pydantic", "httpx")
    code = f"import sys, emporium.servicekit.probe; print([m for m in {heavy} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
