"""CPU used by the parts of a benchmarked system, read before and after each run."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path

import psutil


def postmaster_of(postgres_dir: Path) -> psutil.Process:
    """The embedded PostgreSQL server whose data lies under `postgres_dir`."""
    pid_file = next(postgres_dir.rglob("postmaster.pid"))
    return psutil.Process(int(pid_file.read_text().split()[0]))


class CpuMeter:
    """CPU seconds used by each part, by PostgreSQL (embedded only) and by this process."""

    def __init__(self, pids: Mapping[str, int | None], postmaster: psutil.Process | None) -> None:
        self.procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.postmaster = postmaster
        self.procs["load"] = psutil.Process()

    def read(self) -> dict[str, float]:
        """Cumulative CPU seconds per process name."""
        out = {name: sum(p.cpu_times()[:2]) for name, p in self.procs.items()}
        if self.postmaster is not None:
            times = self.postmaster.cpu_times()
            total = times.user + times.system + times.children_user + times.children_system
            for child in self.postmaster.children():
                with contextlib.suppress(psutil.NoSuchProcess):
                    total += sum(child.cpu_times()[:2])
            out["postgres"] = total
        return out

    @staticmethod
    def per_unit_ms(
        before: Mapping[str, float], after: Mapping[str, float], units: int
    ) -> dict[str, float]:
        """Milliseconds of CPU per unit of work (e.g. per order) between two readings."""
        return {k: (after[k] - before[k]) * 1000 / max(1, units) for k in after}
