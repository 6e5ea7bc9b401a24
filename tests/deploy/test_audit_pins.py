"""`make lint`'s pip-audit step fails on a vulnerability and never hides what it could not audit."""

from __future__ import annotations

from typing import Any

from deploy.audit_pins import ACCEPTED, judge

ECDSA = {
    "name": "ecdsa",
    "version": "0.19.2",
    "vulns": [
        {
            "id": "PYSEC-2026-1325",
            "fix_versions": [],
            "aliases": ["CVE-2024-23342", "GHSA-wj6h-64fc-37mp"],
            "description": "Minerva timing attack on P-256 signing.",
        }
    ],
}
JINJA = {
    "name": "jinja2",
    "version": "3.1.2",
    "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"], "aliases": []}],
}
CLEAN = {"name": "httpx", "version": "0.28.1", "vulns": []}
SKIPPED = {
    "name": "uvicorn",
    "skip_reason": "Dependency not found on PyPI and could not be audited: uvicorn (0.54.0)",
}


def report(*dependencies: dict[str, Any]) -> dict[str, Any]:
    """A pip-audit `--format json` report."""
    return {"dependencies": list(dependencies), "fixes": []}


def test_a_clean_audit_passes_even_when_strict() -> None:
    verdict = judge(report(CLEAN))
    assert (verdict.audited, verdict.vulnerable, verdict.not_audited) == (1, [], [])
    assert verdict.status(strict=True) == 0


def test_a_known_vulnerability_fails_and_is_named_with_its_fix() -> None:
    verdict = judge(report(CLEAN, JINJA))
    assert verdict.vulnerable == ["jinja2==3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in: 3.1.3)"]
    assert verdict.status(strict=False) == 1
    assert "pip-audit: VULNERABLE jinja2==3.1.2" in "\n".join(verdict.lines())


def test_an_accepted_vulnerability_matches_through_its_aliases() -> None:
    assert "GHSA-wj6h-64fc-37mp" in ACCEPTED
    verdict = judge(report(ECDSA))
    assert verdict.vulnerable == []
    assert verdict.status(strict=True) == 0


def test_what_could_not_be_audited_is_said_and_fails_a_strict_run() -> None:
    verdict = judge(report(CLEAN, SKIPPED))
    text = "\n".join(verdict.lines())
    assert "NOT AUDITED: 1 pinned releases" in text
    assert "uvicorn (0.54.0)" in text
    assert "1 audited, 0 vulnerable, 1 not audited" in text
    assert verdict.status(strict=False) == 0
    assert verdict.status(strict=True) == 1
