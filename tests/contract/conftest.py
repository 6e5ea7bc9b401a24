"""A system of the fuzzer's own: booted like `make run`, with the gateway's rate limits raised."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.system import System, system_of_its_own

# The fuzzer sends thousands of requests a minute from one address with one token, where the
# gateway's defaults (50/s, and 1/s for the token endpoint) would answer most of them 429 and
# the services would hardly be reached. The limits themselves are tested in gateway/tests.
RAISED_LIMITS = {
    **{
        f"GATEWAY_{kind}_RATE_LIMIT_{knob}": "100000"
        for kind in ("ANONYMOUS", "CUSTOMER", "CUSTOMER_ADDRESS", "SERVICE", "TOKEN")
        for knob in ("PER_SECOND", "BURST")
    },
    # Auth's own per-address rations (registrations, failed sign-ins): auth's tests prove them.
    "AUTH_REGISTRATIONS_FREE_PER_ADDRESS": "100000",
    "AUTH_LOGIN_FREE_FAILURES": "100000",
    "AUTH_LOGIN_FREE_FAILURES_PER_ADDRESS": "100000",
}


@pytest.fixture(scope="module")
async def fuzzed_system(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[System]:
    """The whole system, its own: the fuzzer (as an admin, too) changes and deactivates data."""
    async with system_of_its_own(
        tmp_path_factory.mktemp("fuzzed-stack"),
        prefix="fz",
        why="the fuzzer needs a system of its own with raised rate limits; it does not write "
        "into the deployment at EMPORIUM_BASE_URL",
        extra_env={"ORDERS_CATALOG_TIMEOUT_SECONDS": "3", **RAISED_LIMITS},
    ) as system:
        yield system
