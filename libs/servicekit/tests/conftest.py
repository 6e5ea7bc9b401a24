"""A small app built with servicekit's factory over a real PostgreSQL database, and the
scriptable upstream the service client's tests call."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import AsyncIterator
from typing import Annotated, ClassVar

import httpx
import pytest
import uvicorn
from fastapi import APIRouter, FastAPI, Form, Header
from pydantic import BaseModel, Field
from pydantic_settings import SettingsConfigDict
from sqlalchemy import text

from emporium.servicekit.app import create_app, make_http_client
from emporium.servicekit.db import ReadSessionDep, SessionDep
from emporium.servicekit.embedded_pg import database_url, drop_database, ensure_database
from emporium.servicekit.errors import Conflict, NotFound
from emporium.servicekit.read_connection import ReadConnectionDep
from emporium.servicekit.security import require_scopes
from emporium.servicekit.settings import ServiceSettings
from emporium.servicekit.testing import app_client

from .service_upstream import Upstream


class DemoSettings(ServiceSettings):
    """Settings of the demo service used to test servicekit."""

    model_config = SettingsConfigDict(env_prefix="DEMO_", extra="ignore", frozen=True)
    service_name: ClassVar[str] = "demo"


class NoteIn(BaseModel):
    """A note to store."""

    body: str = Field(min_length=1, max_length=50)
    fail_after_insert: bool = False


def demo_router() -> APIRouter:
    """Routes that exercise sessions and domain errors."""
    router = APIRouter(prefix="/demo", tags=["notes"])

    @router.post("/notes", status_code=201)
    async def create_note(note: NoteIn, session: SessionDep) -> dict[str, str]:
        await session.execute(text("INSERT INTO note (body) VALUES (:b)"), {"b": note.body})
        if note.fail_after_insert:
            raise Conflict("the note conflicts", extra={"body": note.body})
        return {"body": note.body}

    @router.get("/slow")
    async def slow(seconds: float, session: SessionDep) -> dict[str, str]:
        await session.execute(text("SELECT pg_sleep(:s)"), {"s": seconds})
        return {"slept": str(seconds)}

    @router.get("/clock")
    async def clock(session: ReadSessionDep) -> dict[str, bool]:
        first = await session.scalar(text("SELECT now()"))
        await session.execute(text("SELECT pg_sleep(0.01)"))
        second = await session.scalar(text("SELECT now()"))
        return {"one_transaction": first == second}

    @router.get("/raw")
    async def raw(sql: str, connection: ReadConnectionDep) -> dict[str, str]:
        first = await connection.fetchval(sql)
        second = await connection.fetchval(sql)
        return {"first": str(first), "second": str(second)}

    @router.get("/notes/{body}")
    async def read_note(body: str, session: SessionDep) -> dict[str, str]:
        found = await session.scalar(text("SELECT body FROM note WHERE body = :b"), {"b": body})
        if found is None:
            raise NotFound(f"no note {body!r}")
        return {"body": found}

    @router.get("/search")
    async def search(
        q: str, session: SessionDep, x_tag: Annotated[str | None, Header()] = None
    ) -> dict[str, str | None]:
        found = await session.scalar(text("SELECT body FROM note WHERE body = :b"), {"b": q})
        tag = await session.scalar(text("SELECT CAST(:t AS text)"), {"t": x_tag})
        return {"found": found, "tag": tag}

    @router.get("/secret", dependencies=[require_scopes("demo:read")])
    async def secret() -> dict[str, str]:
        return {"secret": "kept"}

    @router.post("/forms")
    async def post_form(name: Annotated[str, Form()], session: SessionDep) -> dict[str, str]:
        echoed = await session.scalar(text("SELECT CAST(:n AS text)"), {"n": name})
        return {"name": str(echoed)}

    return router


@pytest.fixture(scope="session")
async def demo_database_url(postgres_server_url: str) -> AsyncIterator[str]:
    """A scratch database with one table."""
    name = "test_servicekit_demo"
    await drop_database(postgres_server_url, name)
    await ensure_database(postgres_server_url, name)
    url = database_url(postgres_server_url, name)
    settings = DemoSettings(database_url=url)
    app = create_app(settings)
    async with app.router.lifespan_context(app), app.state.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE note (body text PRIMARY KEY)"))
    yield url
    await drop_database(postgres_server_url, name)


@pytest.fixture
def demo_app(demo_database_url: str) -> FastAPI:
    """The demo app over the scratch database."""
    return create_app(
        DemoSettings(database_url=demo_database_url, log_json=False), routers=[demo_router()]
    )


@pytest.fixture
async def client(demo_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """HTTP client for the demo app."""
    async with app_client(demo_app) as c:
        yield c


@pytest.fixture(scope="module")
def upstream() -> Upstream:
    return Upstream()


@pytest.fixture(scope="module")
async def upstream_url(upstream: Upstream) -> AsyncIterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(upstream.app(), log_config=None, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:  # noqa: ASYNC110 - a flag set by uvicorn's own thread
        await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    await asyncio.to_thread(thread.join, 10)
    sock.close()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with make_http_client(ServiceSettings()) as client:
        yield client
