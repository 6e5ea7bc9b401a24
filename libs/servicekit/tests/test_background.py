"""Lifespan-owned periodic jobs keep going after a failed round and stop with the block."""

from __future__ import annotations

import asyncio

import pytest

from emporium.servicekit.background import periodic


async def test_a_failed_round_is_logged_and_the_job_keeps_running(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rounds: list[int] = []

    async def job() -> None:
        rounds.append(len(rounds))
        if len(rounds) == 2:
            raise RuntimeError("round two breaks")

    async with periodic(job, interval=0.01, name="test-job") as task:
        for _ in range(200):
            if len(rounds) >= 4:
                break
            await asyncio.sleep(0.01)
    assert len(rounds) >= 4
    assert task.cancelled()
    assert any("test-job failed" in r.getMessage() for r in caplog.records)
