"""HTTP plumbing of the catalog double: problem answers and a uvicorn server on a free port."""

from __future__ import annotations

import asyncio
import socket
import threading
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from emporium.servicekit.problems import problem_response

CLIENT_ID = "orders"
CLIENT_SECRET = "orders-test-secret"


def problem(
    request: Request,
    status: int,
    slug: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem+json answer as the services send it."""
    return problem_response(
        status,
        detail=detail,
        slug=slug,
        instance=request.url.path,
        extra=extra,
        headers=headers,
    )


def not_found(request: Request, rid: uuid.UUID) -> JSONResponse:
    """The catalog's 404 for a reservation that is missing or another client's."""
    return problem(request, 404, "reservation-not-found", f"No reservation has the id {rid}.")


def item_error(index: int, message: str) -> dict[str, str]:
    """A field error naming one line of a reservation request."""
    return {
        "field": f"items.{index}.product_id",
        "location": "body",
        "message": message,
        "type": "value_error",
    }


def closed_port_url() -> str:
    """A URL on which nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[str]:
    """Serve `app` with uvicorn on a free port, in its own thread and event loop."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_config=None, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the stand-in catalog did not start")
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.to_thread(thread.join, 10)
        sock.close()
