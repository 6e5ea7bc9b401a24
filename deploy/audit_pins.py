"""pip-audit over pinned requirements that says plainly what it could not audit.

    python deploy/audit_pins.py PIP_AUDIT [--strict] REQUIREMENTS...

Exits 1 on any known vulnerability not accepted in ACCEPTED below. pip-audit asks a
vulnerability service about each pinned release; a release the service does not answer for
is *not audited*. pip-audit itself lets such a run pass quietly; here it is listed as NOT
AUDITED in every run, and fails the run with --strict (`make lint AUDIT_STRICT=1`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

ACCEPTED: dict[str, str] = {
    # CVE-2024-23342 (alias PYSEC-2026-1325), no fixed release: a Minerva timing attack on
    # python-ecdsa's P-256 *signing*. ecdsa is here only as python-jose's dependency; with
    # jose[cryptography] every key operation goes through `cryptography`, and every token
    # is RS256, so ecdsa never signs anything.
    "GHSA-wj6h-64fc-37mp": "ecdsa signs nothing here (RS256 through cryptography)",
}
"""Known vulnerabilities accepted, each with the reason it does not apply."""
SHOWN = 5
"""How many releases that could not be audited are named (the count is always given)."""


@dataclass
class Verdict:
    """What one audit found, and the exit status it deserves."""

    audited: int = 0
    vulnerable: list[str] = field(default_factory=list)
    not_audited: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A human summary: vulnerabilities, then what could not be audited."""
        out = [f"pip-audit: VULNERABLE {v}" for v in self.vulnerable]
        if self.not_audited:
            out.append(
                f"pip-audit: NOT AUDITED: {len(self.not_audited)} pinned releases, which the"
                " vulnerability service did not answer for:"
            )
            out += [f"pip-audit:   {reason}" for reason in self.not_audited[:SHOWN]]
            if len(self.not_audited) > SHOWN:
                out.append(f"pip-audit:   ... and {len(self.not_audited) - SHOWN} more")
        accepted = ", ".join(sorted(ACCEPTED))
        out.append(
            f"pip-audit: {self.audited} audited, {len(self.vulnerable)} vulnerable,"
            f" {len(self.not_audited)} not audited (accepted: {accepted})"
        )
        return out

    def status(self, *, strict: bool) -> int:
        """1 for a vulnerability, or for anything not audited when strict; else 0."""
        return 1 if self.vulnerable or (strict and self.not_audited) else 0


def judge(report: dict[str, Any]) -> Verdict:
    """The verdict on one pip-audit JSON report (`--format json`)."""
    verdict = Verdict()
    for dependency in report.get("dependencies", []):
        if "skip_reason" in dependency:  # names the release itself
            verdict.not_audited.append(str(dependency["skip_reason"]))
            continue
        name = f"{dependency['name']}=={dependency['version']}"
        verdict.audited += 1
        for vuln in dependency.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            if not ids & ACCEPTED.keys():
                fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed release"
                verdict.vulnerable.append(f"{name}: {vuln['id']} (fixed in: {fixed})")
    return verdict


def audit(pip_audit: str, requirements: str) -> Verdict:
    """Run pip-audit over one fully pinned requirements file (no resolving, no installing)."""
    argv = [pip_audit, "--requirement", requirements, "--no-deps", "--disable-pip"]
    argv += ["--format", "json", "--progress-spinner", "off"]
    for vuln_id in ACCEPTED:
        argv += ["--ignore-vuln", vuln_id]
    result = subprocess.run(argv, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        # No report at all: the service failed outright (pip-audit says why on stderr).
        why = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return Verdict(not_audited=[f"{requirements}: pip-audit gave no report: {why}"])
    return judge(report)


def main(argv: Sequence[str]) -> int:
    """Audit each requirements file; print the verdict; the exit status for make."""
    args = list(argv)
    strict = "--strict" in args
    args = [a for a in args if a != "--strict"]
    if len(args) < 2:
        sys.stderr.write(__doc__ or "")
        return 2
    pip_audit, *files = args
    status = 0
    for requirements in files:
        verdict = audit(pip_audit, requirements)
        sys.stdout.write("".join(f"{line}\n" for line in verdict.lines()))
        status = max(status, verdict.status(strict=strict))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
