"""Keyset cursors: what one encodes comes back; anything else is a 422 naming `cursor`."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from emporium.servicekit.cursors import (
    MAX_CURSOR_LENGTH,
    CursorKey,
    InvalidCursor,
    decode_cursor,
    encode_cursor,
)
from emporium.servicekit.problems import install_problem_handlers

KEYS: tuple[type[CursorKey], ...] = (str, int, datetime, uuid.UUID)


def raw_cursor(payload: Any) -> str:
    """A cursor around any JSON at all, as a client could forge one."""
    raw = json.dumps(payload).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_a_cursor_gives_back_its_keys() -> None:
    keys = ("prix d'été", -7, datetime(2026, 12, 2, 3, 4, 5, 6, tzinfo=UTC), uuid.uuid4())
    cursor = encode_cursor(*keys)
    assert cursor.isascii()
    assert "=" not in cursor
    assert decode_cursor(cursor, KEYS) == keys


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor!",
        "",
        "é",
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        raw_cursor({"k": 1}),
        raw_cursor(["a", 1, "2026-12-02T00:00:00+00:00"]),
        raw_cursor(["a", True, "2026-12-02T00:00:00+00:00", str(uuid.uuid4())]),
        raw_cursor(["a", 2**31, "2026-12-02T00:00:00+00:00", str(uuid.uuid4())]),
        raw_cursor(["a", 1.5, "2026-12-02T00:00:00+00:00", str(uuid.uuid4())]),
        raw_cursor(["a\x00", 1, "2026-12-02T00:00:00+00:00", str(uuid.uuid4())]),
        raw_cursor(["\ud800", 1, "2026-12-02T00:00:00+00:00", str(uuid.uuid4())]),
        raw_cursor(["a", 1, "2026-12-02T00:00:00", str(uuid.uuid4())]),
        raw_cursor(["a", 1, "0001-01-01T00:00:00+14:00", str(uuid.uuid4())]),
        raw_cursor(["a", 1, "2026-12-02T00:00:00+00:00", "not-a-uuid"]),
        raw_cursor(["a", 1, "2026-12-02T00:00:00+00:00", 12]),
        base64.urlsafe_b64encode(b"[" * 3000 + b"]" * 3000).decode(),
        "A" * (MAX_CURSOR_LENGTH + 1),
    ],
)
def test_a_cursor_this_codec_did_not_make_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursor) as caught:
        decode_cursor(cursor, KEYS)
    [error] = caught.value.extra["errors"]
    assert set(error) == {"field", "location", "message", "type"}
    assert (error["field"], error["location"]) == ("cursor", "query")


async def test_a_bad_cursor_is_a_422_problem() -> None:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/page")
    async def page(cursor: str) -> dict[str, str]:
        (key,) = decode_cursor(cursor, (uuid.UUID,))
        return {"after": str(key)}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        key = uuid.uuid4()
        ok = await client.get("/page", params={"cursor": encode_cursor(key)})
        assert ok.json() == {"after": str(key)}
        for cursor in ("garbage!", raw_cursor([1]), "x" * 10_000):
            response = await client.get("/page", params={"cursor": cursor})
            assert response.status_code == 422
            assert response.headers["content-type"] == "application/problem+json"
            body = response.json()
            assert body["type"] == "urn:emporium:problem:invalid-cursor"
            assert body["errors"][0]["field"] == "cursor"
