"""A database that is out of reach is a 503 problem the client may retry, never a 500."""

from __future__ import annotations

import asyncio
import contextlib
import struct
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter
from sqlalchemy import make_url, text

from emporium.servicekit.app import create_app
from emporium.servicekit.db import SessionDep
from emporium.servicekit.testing import app_client

from .conftest import DemoSettings, demo_router

_SSL_REQUEST = 80877103


def _error_response(sqlstate: str, message: str) -> bytes:
    """A PostgreSQL ErrorResponse message (protocol 3.0) with severity FATAL."""
    fields = b"".join(
        code + value.encode() + b"\0"
        for code, value in ((b"S", "FATAL"), (b"V", "FATAL"), (b"C", sqlstate), (b"M", message))
    )
    body = fields + b"\0"
    return b"E" + struct.pack("!i", len(body) + 4) + body


REFUSALS = {
    "starting-up": ("57P03", "the database system is starting up"),
    "too-many-clients": ("53300", "sorry, too many clients already"),
}


@pytest.fixture(params=sorted(REFUSALS))
async def refusing_server(request: pytest.FixtureRequest) -> AsyncIterator[int]:
    """A server that refuses every connection as PostgreSQL does while starting or when full."""
    sqlstate, message = REFUSALS[request.param]

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        length, code = struct.unpack("!ii", await reader.readexactly(8))
        if code == _SSL_REQUEST:  # the client asks for TLS first: decline, read the startup
            writer.write(b"N")
            length, _ = struct.unpack("!ii", await reader.readexactly(8))
        await reader.readexactly(length - 8)
        writer.write(_error_response(sqlstate, message))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1]


async def _get_note(database_url: str) -> httpx.Response:
    settings = DemoSettings(database_url=database_url, db_connect_timeout_seconds=2)
    async with app_client(create_app(settings, routers=[demo_router()])) as client:
        return await client.get("/demo/notes/x")


def _assert_retry_later(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("dependency-unavailable")
    assert response.headers["retry-after"]


async def test_a_database_host_name_that_does_not_resolve_is_a_503_problem() -> None:
    # A stopped compose service leaves the network's DNS: its name stops resolving.
    _assert_retry_later(await _get_note("postgresql://postgres@postgres.invalid:5432/db"))


async def test_a_database_that_refuses_connections_for_now_is_a_503_problem(
    refusing_server: int,
) -> None:
    url = f"postgresql://postgres@127.0.0.1:{refusing_server}/db"
    _assert_retry_later(await _get_note(url))


async def test_a_stopped_database_on_a_unix_socket_is_a_503_problem(tmp_path: Path) -> None:
    # A stopped local server removes its socket file: connecting fails with
    # FileNotFoundError rather than a refused connection.
    _assert_retry_later(await _get_note(f"postgresql://postgres@/db?host={tmp_path}"))


async def test_a_missing_file_elsewhere_is_still_a_500() -> None:
    router = APIRouter()

    @router.get("/demo/missing-file")
    async def missing_file() -> None:
        raise FileNotFoundError("no such template")

    app = create_app(DemoSettings(database_url="postgresql://postgres@/db"), routers=[router])
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        response = await client.get("/demo/missing-file")
    assert response.status_code == 500
    assert response.json()["type"].endswith("internal")


class _CuttableLink:
    """A TCP relay to the database that can be cut, as a stopped server would be."""

    def __init__(self, database_url: str) -> None:
        self.url = make_url(database_url)
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None

    async def start(self) -> str:
        """Start relaying; the database URL that goes through the link."""
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        port = int(self.server.sockets[0].getsockname()[1])
        url = self.url.difference_update_query(["host"]).set(host="127.0.0.1", port=port)
        return url.render_as_string(hide_password=False)

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        port = self.url.port or 5432
        socket_dir = self.url.query.get("host")
        if isinstance(socket_dir, str):  # the embedded server listens on a unix socket
            up_reader, up_writer = await asyncio.open_unix_connection(
                f"{socket_dir}/.s.PGSQL.{port}"
            )
        else:
            up_reader, up_writer = await asyncio.open_connection(self.url.host, port)
        self.writers += [writer, up_writer]

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    def cut(self) -> None:
        """Close every relayed connection and accept no new one."""
        assert self.server is not None
        self.server.close()
        for writer in self.writers:
            writer.close()


async def test_a_request_that_finds_the_database_gone_makes_readiness_check_again(
    demo_database_url: str,
) -> None:
    # Regression: a cached "ready" from before a PostgreSQL restart was served for up to the
    # cache's lifetime after requests had already failed, so a client (or the compose suite)
    # was told "ready" and then answered 503.
    link = _CuttableLink(demo_database_url)
    settings = DemoSettings(
        database_url=await link.start(),
        readiness_cache_seconds=300,
        db_connect_timeout_seconds=2,
    )
    async with app_client(create_app(settings, routers=[demo_router()])) as client:
        assert (await client.get("/readyz")).status_code == 200
        link.cut()
        _assert_retry_later(await client.get("/demo/notes/x"))
        ready = await client.get("/readyz")
    assert ready.status_code == 503, ready.text


@pytest.mark.parametrize("sqlstate", ["40001", "40P01"])
async def test_a_transaction_rolled_back_by_a_concurrent_one_is_a_503_to_retry(
    demo_database_url: str, sqlstate: str
) -> None:
    # Regression: a deadlock between two requests of one key was a 500.
    router = APIRouter()

    @router.get("/collide")
    async def collide(session: SessionDep) -> dict[str, str]:
        raise_it = f"DO $$ BEGIN RAISE EXCEPTION 'collided' USING ERRCODE = '{sqlstate}'; END $$"
        await session.execute(text(raise_it))
        return {}

    settings = DemoSettings(database_url=demo_database_url)
    async with app_client(create_app(settings, routers=[router])) as client:
        response = await client.get("/collide")
    assert response.status_code == 503, response.text
    assert response.json()["type"].endswith("transaction-conflict")
    assert response.headers["retry-after"]
