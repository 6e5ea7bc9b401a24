"""Schemathesis fuzzes every operation of the merged OpenAPI through the gateway.

Each run covers the schema's examples, the coverage phase (boundary and invalid values:
NUL characters, huge numbers, wrong types, missing fields), random fuzzing and the stateful
phase (responses feeding later requests), with a customer's token and an admin's, and the
reservation operations with the orders service's (the only client allowed to reserve stock).
Every response must be documented: no 5xx, a documented status, content type, body schema
and headers.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.system import System

pytestmark = pytest.mark.slow

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    ]
)
# Test cases per operation and phase: with 30 operations about 1,300 per role, ~40 s each.
MAX_EXAMPLES = int(os.environ.get("EMPORIUM_FUZZ_EXAMPLES", "20"))
# Fixed so that `make test` is repeatable; set another to explore (a failure prints its seed).
SEED = os.environ.get("EMPORIUM_FUZZ_SEED", "20261201")
RUN_TIMEOUT = 240.0


async def _password_token(client: httpx.AsyncClient, email: str, password: str) -> str:
    response = await client.post(
        "/auth/token", data={"grant_type": "password", "username": email, "password": password}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


async def _customer_token(client: httpx.AsyncClient) -> str:
    email = f"fuzz-{uuid.uuid4().hex[:12]}@example.com"
    password = f"pw-{uuid.uuid4().hex}"
    registered = await client.post(
        "/auth/register", json={"email": email, "password": password, "full_name": "Fuzzer"}
    )
    assert registered.status_code == 202, registered.text
    return await _password_token(client, email, password)


async def _service_client_token(client: httpx.AsyncClient, system: System) -> str:
    """The orders service's client-credentials token: the only holder of `catalog:reserve`."""
    secret_file = system.key_path("orders-client-secret")
    secret = (await asyncio.to_thread(secret_file.read_text)).strip()
    response = await client.post(
        "/auth/token",
        data={"grant_type": "client_credentials", "client_id": "orders", "client_secret": secret},
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


async def _schemathesis(system: System, token: str, report_dir: Path, *only: str) -> dict[str, Any]:
    """Run `schemathesis run` against the gateway; the JSON report, or fail with its output."""
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{system.base_url}/openapi.json",
        # The spec's servers entry is relative to where it is served; name the gateway.
        "--url",
        system.base_url,
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        CHECKS,
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        SEED,
        "--workers",
        "1",
        "--request-timeout",
        "20",
        "--generation-database",
        "none",
        "--no-color",
        "--report",
        "json",
        "--report-json-path",
        str(report_dir / "report.json"),
        *only,
    ]
    process = await asyncio.create_subprocess_exec(
        *command,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        cwd=report_dir,
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), RUN_TIMEOUT)
    except TimeoutError:
        process.kill()
        await process.wait()
        pytest.fail(f"schemathesis did not finish within {RUN_TIMEOUT:.0f} s")
    text = output.decode(errors="replace")
    assert process.returncode == 0, text
    result: dict[str, Any] = json.loads(
        await asyncio.to_thread((report_dir / "report.json").read_text)
    )
    return result


# The orders service's client holds only `catalog:reserve`: everything else is the
# customer's and admin's runs, so its run fuzzes the reservations.
ROLES = {
    "customer": (),
    "admin": (),
    "service-client": ("--include-path-regex", "^/catalog/reservations"),
}


@pytest.mark.parametrize("role", list(ROLES))
async def test_fuzzing_every_operation_finds_nothing(
    fuzzed_system: System, role: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with httpx.AsyncClient(base_url=fuzzed_system.base_url, timeout=20.0) as client:
        if role == "admin":
            token = await _password_token(client, *fuzzed_system.admin)
        elif role == "service-client":
            token = await _service_client_token(client, fuzzed_system)
        else:
            token = await _customer_token(client)
    started = time.monotonic()
    report = await _schemathesis(fuzzed_system, token, tmp_path, *ROLES[role])
    elapsed = time.monotonic() - started

    assert report["failures"] == [], report
    assert report["errors"] == [], report
    operations = report["operations"]
    assert operations["tested"] == operations["selected"], operations
    if not ROLES[role]:
        assert operations["selected"] == operations["total"] >= 30, operations
    for phase in ("examples", "coverage", "fuzzing", "stateful"):
        assert report["phases"][phase]["status"] in ("success", "skip"), report["phases"]
    cases = report["test_cases"]["generated"]
    assert cases >= 40 * operations["selected"], report["test_cases"]
    with capsys.disabled():
        print(f"\nschemathesis as {role}: {cases} test cases, no failures, {elapsed:.0f} s")  # noqa: T201
