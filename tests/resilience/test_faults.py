"""Kill, restart, freeze and slow parts of the system mid-load: no order lost or doubled."""

from __future__ import annotations

import asyncio

import pytest

from tests.resilience.scenario import Reports, Rig, run_scenario

pytestmark = pytest.mark.slow

DOWN_FOR = 1.0
"""Seconds a killed part stays dead before it is started again."""
DATABASE_DOWN_FOR = 10.0
FROZEN_FOR = 7.0
"""Longer than the gateway's upstream read timeout (5 s) and the keys' lease (5 s) here."""
CATALOG_DELAY = 3.0
"""Longer than orders' catalog timeout in this suite (2 s), shorter than the gateway's (5 s)."""
SLOW_FOR = 6.0


@pytest.mark.parametrize("part", ["catalog", "orders", "auth", "gateway"])
async def test_killed_part_started_again_loses_no_order(
    rig: Rig, reports: Reports, part: str
) -> None:
    async def kill_and_restart() -> None:
        await rig.system.kill_service(part)
        await asyncio.sleep(DOWN_FOR)
        await rig.system.start_service(part)

    await run_scenario(
        rig, reports, f"kill -9 {part}", kill_and_restart, gateway_down=part == "gateway"
    )


async def test_database_restart_loses_no_order(rig: Rig, reports: Reports) -> None:
    async def restart() -> None:
        await rig.system.stop_database()
        await rig.system.start_database()

    await run_scenario(rig, reports, "restart PostgreSQL", restart)


async def test_database_down_ten_seconds_loses_no_order(rig: Rig, reports: Reports) -> None:
    async def down() -> None:
        await rig.system.stop_database()
        await asyncio.sleep(DATABASE_DOWN_FOR)
        await rig.system.start_database()

    await run_scenario(rig, reports, "PostgreSQL down 10 s", down)


@pytest.mark.parametrize("part", ["catalog", "orders"])
async def test_frozen_part_loses_no_order(rig: Rig, reports: Reports, part: str) -> None:
    # Frozen orders outlive their keys' leases: retries take their orders over meanwhile.
    async def freeze() -> None:
        rig.system.pause_service(part)
        try:
            await asyncio.sleep(FROZEN_FOR)
        finally:
            rig.system.resume_service(part)

    await run_scenario(rig, reports, f"SIGSTOP {part} {FROZEN_FOR:g} s", freeze)


async def test_slow_catalog_answering_after_orders_timeout_sells_once(
    rig: Rig, reports: Reports
) -> None:
    async def slow() -> None:
        rig.proxy.delay = CATALOG_DELAY
        try:
            await asyncio.sleep(SLOW_FOR)
        finally:
            rig.proxy.delay = 0.0

    await run_scenario(rig, reports, f"catalog answers {CATALOG_DELAY:g} s late", slow)
