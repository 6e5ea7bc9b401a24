"""wrk runs: scenarios, alternating rounds with medians, and their table."""

from __future__ import annotations

import asyncio
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field

from bench.rounds import announced, median

_LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_SCALE = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class Scenario:
    """One thing wrk hits, with its samples."""

    name: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    rps: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)

    def medians(self) -> tuple[float, float, float]:
        """Median req/s, p50 ms and p99 ms over the rounds (nan before any)."""
        return median(self.rps), median(self.p50), median(self.p99)


def wrk(scenario: Scenario, seconds: int, connections: int, record: bool = True) -> None:
    """Run wrk once against the scenario and record req/s, p50 and p99 (ms)."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for key, value in scenario.headers.items():
        command += ["-H", f"{key}: {value}"]
    output = subprocess.run(
        [*command, scenario.url], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    latency = {p: float(v) * _SCALE[u] for p, v, u in _LATENCY.findall(output)}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non2xx:
        raise RuntimeError(f"{scenario.name}: {non2xx.group(1)} error responses\n{output}")
    if record:
        scenario.rps.append(rps)
        scenario.p50.append(latency["50"])
        scenario.p99.append(latency["99"])


async def alternate(
    scenarios: Iterable[Scenario], rounds: int, seconds: int, connections: int
) -> None:
    """A one-second warm-up of each scenario, then `rounds` rounds taking each in turn."""
    ordered = list(scenarios)
    for scenario in ordered:
        await asyncio.to_thread(wrk, scenario, 1, connections, False)
    for _ in announced(rounds):
        for scenario in ordered:
            await asyncio.to_thread(wrk, scenario, seconds, connections)


def table(scenarios: Iterable[Scenario], header: str = "scenario") -> list[str]:
    """A Markdown table of each scenario's medians: req/s, p50 and p99."""
    rows = [f"| {header} | req/s | p50 ms | p99 ms |", "|---|---:|---:|---:|"]
    for s in scenarios:
        rps, p50, p99 = s.medians()
        rows.append(f"| {s.name} | {rps:,.0f} | {p50:.2f} | {p99:.2f} |")
    return rows
