"""Pytest plugin and helpers that every package's tests reuse.

Enabled with `-p emporium.servicekit.testing`. PostgreSQL is real: the server named by
`EMPORIUM_TEST_DATABASE_URL` (or `DATABASE_URL`), else an embedded one in a temp folder.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from jose import jwk, jwt
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine

from emporium.servicekit.embedded_pg import (
    EmbeddedPostgres,
    database_url,
    drop_database,
    ensure_database,
)
from emporium.servicekit.jwks import StaticKeys
from emporium.servicekit.migrations import upgrade_head
from emporium.servicekit.settings import to_async_url

TEST_ISSUER = "http://localhost:8000"
TEST_AUDIENCE = "emporium"


def new_rsa_pem() -> bytes:
    """A fresh 2048-bit RSA private key in PKCS#8 PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


class TokenFactory:
    """Signs RS256 access tokens the way the auth service does, for tests."""

    def __init__(self, *, issuer: str = TEST_ISSUER, audience: str = TEST_AUDIENCE) -> None:
        self.private_pem = new_rsa_pem()
        self.kid = uuid.uuid4().hex[:16]
        self.issuer = issuer
        self.audience = audience
        public = jwk.construct(self.private_pem.decode(), "RS256").public_key().to_dict()
        self.public_jwk: dict[str, Any] = {**public, "kid": self.kid, "use": "sig", "alg": "RS256"}

    def key_provider(self) -> StaticKeys:
        """A key provider that trusts this factory's key."""
        return StaticKeys([self.public_jwk])

    def issue(
        self,
        subject: str | None = None,
        scopes: str = "",
        *,
        ttl: int = 300,
        headers: dict[str, Any] | None = None,
        **claims: Any,
    ) -> str:
        """A signed access token; extra keyword claims override the defaults."""
        now = int(time.time())
        body: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject or str(uuid.uuid4()),
            "iat": now,
            "exp": now + ttl,
            "jti": uuid.uuid4().hex,
            "scope": scopes,
            **claims,
        }
        return str(
            jwt.encode(
                body,
                self.private_pem.decode(),
                algorithm="RS256",
                headers={"kid": self.kid, **(headers or {})},
            )
        )


def threadpool_dependencies(app: FastAPI) -> list[str]:
    """Route dependencies FastAPI would run in its threadpool (plain `def`): each costs a
    thread hop per request, so every dependency here should be `async def`."""
    found: set[str] = set()

    def visit(dependant: Dependant) -> None:
        for sub in dependant.dependencies:
            call = sub.call
            target = call if inspect.isroutine(call) else getattr(call, "__call__", call)  # noqa: B004
            if not (inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target)):
                found.add(
                    f"{getattr(call, '__module__', '?')}.{getattr(call, '__qualname__', call)}"
                )
            visit(sub)

    for route in app.routes:
        if isinstance(route, APIRoute):
            visit(route.dependant)
        for context in getattr(route, "effective_candidates", list)():  # included routers
            visit(context.dependant)
    return sorted(found)


@asynccontextmanager
async def app_client(
    app: FastAPI, base_url: str = "http://testserver"
) -> AsyncIterator[httpx.AsyncClient]:
    """Run the app's lifespan and give an HTTP client talking to it in-process."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            yield client


async def create_migrated_database(server_url: str, package: str, prefix: str) -> str:
    """A new, uniquely named database with `package`'s migrations applied; returns its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    await ensure_database(server_url, name)
    url = database_url(server_url, name)
    await asyncio.to_thread(upgrade_head, package, url)
    return url


@asynccontextmanager
async def migrated_database(server_url: str, package: str, prefix: str) -> AsyncIterator[str]:
    """A new database with `package`'s migrations applied, dropped when the block ends."""
    url = await create_migrated_database(server_url, package, prefix)
    try:
        yield url
    finally:
        await drop_test_database(url)


async def schema_drift(database_url: str, metadata: MetaData) -> list[Any]:
    """What alembic would still generate after the migrations (empty when they match the models)."""
    engine = create_async_engine(to_async_url(database_url))
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(
                        sync, opts={"compare_type": True, "compare_server_default": True}
                    ),
                    metadata,
                )
            )
    finally:
        await engine.dispose()


async def drop_test_database(url: str) -> None:
    """Drop a database made by `create_migrated_database`."""
    name = httpx.URL(url.replace("postgresql+asyncpg", "postgresql")).path.lstrip("/")
    server = url
    await drop_database(server, name)


@contextmanager
def embedded_postgres_folder() -> Iterator[Path]:
    """A private folder for an embedded server's data, removed afterwards.

    Not under pytest's temp root: every pytest run that starts resets
    `/tmp/pytest-of-<user>` to mode 0700, and under root the embedded server runs as its own
    user, which then can no longer reach its data to stop cleanly (a second suite running
    beside this one is enough).
    """
    folder = Path(tempfile.mkdtemp(prefix="emporium-pg-"))
    try:
        yield folder / "data"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def postgres_server(folder: Path) -> Iterator[str]:
    """`EMPORIUM_TEST_DATABASE_URL` (or `DATABASE_URL`), else an embedded server in `folder`."""
    external = os.environ.get("EMPORIUM_TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if external:
        yield external
        return
    server = EmbeddedPostgres(folder)
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """URL of a real PostgreSQL server for the whole test session."""
    with embedded_postgres_folder() as folder, postgres_server(folder) as url:
        yield url


@pytest.fixture(scope="session")
def token_factory() -> TokenFactory:
    """Signs test tokens; apps built with `token_factory.key_provider()` trust them."""
    return TokenFactory()
