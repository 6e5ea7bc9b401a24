"""A tiny ASGI upstream for the gateway's tests: echoes, streams, stalls and serves a spec.

Run with `uvicorn gateway.tests.upstream_app:app` style imports by file path; configured by
environment: `FAKE_NAME` (service name), `FAKE_PREFIX` (its path space), `FAKE_JWKS` (a JSON
key set served at /.well-known/jwks.json), `FAKE_OPENAPI` (a JSON spec served at /openapi.json).
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.types import Receive, Scope, Send

NAME = os.environ.get("FAKE_NAME", "fake")
JWKS = os.environ.get("FAKE_JWKS", '{"keys": []}')
OPENAPI = os.environ.get("FAKE_OPENAPI")
READY_FILE = os.environ.get("FAKE_NOT_READY_FILE")
SEEN: set[str] = set()  # request ids that reached this upstream
RECEIVED: dict[str, int] = {}  # body bytes received so far, by request id


async def _json(
    send: Send, status: int, body: Any, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """Route by the last path segment so it works under any prefix."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    path: str = scope["path"]
    for key, value in scope["headers"]:
        if key == b"x-request-id":
            SEEN.add(value.decode())
    query = {k: v[0] for k, v in parse_qs(scope["query_string"].decode()).items()}
    action = path.rstrip("/").rsplit("/", 1)[-1]
    if path == "/readyz":
        ready = True
        if READY_FILE:
            ready = not await asyncio.to_thread(Path(READY_FILE).exists)
        await _json(send, 200 if ready else 503, {"status": "ready" if ready else "not ready"})
    elif path == "/__seen":
        await _json(send, 200 if query.get("rid") in SEEN else 404, {})
    elif path == "/__received":
        await _json(send, 200, {"bytes": RECEIVED.get(query.get("rid", ""), 0)})
    elif path == "/.well-known/jwks.json":
        await _json(send, 200, json.loads(JWKS))
    elif path == "/openapi.json" and OPENAPI:
        await _json(send, 200, json.loads(OPENAPI))
    elif action == "slow":
        await asyncio.sleep(float(query.get("seconds", "5")))
        await _json(send, 200, {"slept": True})
    elif action == "stream":
        # A long body in many chunks, with no Content-Length (so it is chunked on the wire).
        chunks = int(query.get("chunks", "100"))
        size = int(query.get("size", "65536"))
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/octet-stream")],
            }
        )
        for i in range(chunks):
            await send(
                {"type": "http.response.body", "body": bytes([i % 251]) * size, "more_body": True}
            )
        await send({"type": "http.response.body", "body": b""})
    elif action == "hop":
        await _json(
            send,
            200,
            {"ok": True},
            [
                (b"connection", b"x-private"),
                (b"x-private", b"secret"),
                (b"keep-alive", b"timeout=5"),
                (b"x-kept", b"yes"),
            ],
        )
    else:
        # Echo: consume the body as it arrives and report what we saw.
        rid = dict(scope["headers"]).get(b"x-request-id", b"").decode()
        size = 0
        chunks = 0
        digest = 0
        more = True
        while more:
            message = await receive()
            body: bytes = message.get("body", b"")
            size += len(body)
            chunks += 1 if body else 0
            if rid:
                RECEIVED[rid] = size
            for b in body[:16]:
                digest = (digest * 31 + b) % 1_000_003
            more = message.get("more_body", False)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        status = int(query.get("status", "200"))
        await _json(
            send,
            status,
            {
                "service": NAME,
                "method": scope["method"],
                "path": path,
                "raw_path": scope.get("raw_path", b"").decode("latin-1"),
                "query": scope["query_string"].decode(),
                "headers": headers,
                "body_size": size,
                "body_chunks": chunks,
            },
        )
