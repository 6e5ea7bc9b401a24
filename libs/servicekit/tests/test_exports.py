"""The package exports its names lazily: each resolves, and a probe loads no web stack."""

from __future__ import annotations

import subprocess
import sys

import pytest

import emporium.servicekit as servicekit


def test_every_exported_name_resolves_from_its_module() -> None:
    assert sorted(servicekit._MODULE_OF) == sorted(servicekit.__all__)
    # A name that is also a module's would be rebound to the module when it is imported.
    assert not set(servicekit.__all__) & set(servicekit._EXPORTS)
    for name in servicekit.__all__:
        value = getattr(servicekit, name)
        module = sys.modules[f"emporium.servicekit.{servicekit._MODULE_OF[name]}"]
        assert value is getattr(module, name), name
    assert set(servicekit.__all__) <= set(dir(servicekit))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'create_ap'"):
        servicekit.create_ap  # type: ignore[attr-defined]  # noqa: B018


def test_the_probe_command_loads_neither_fastapi_nor_sqlalchemy() -> None:
    # The probe runs every few seconds in each container: it must start in milliseconds.
    heavy = ("fastapi", "sqlalchemy", "pydantic", "httpx")
    code = f"import sys, emporium.servicekit.probe; print([m for m in {heavy} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
