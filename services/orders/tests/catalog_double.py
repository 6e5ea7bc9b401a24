"""A stand-in for the gateway in front of auth and the catalog, served over real HTTP.

It implements the parts of the contract orders relies on (DESIGN.md): the
client-credentials token endpoint and the reservation API, with in-memory stock, plus
switches to make it slow, broken or reject tokens. It is a test double of *other*
services; the orders app under test talks to it through its real HTTP client.
"""

from __future__ import annotations

import asyncio
import base64
import socket
import threading
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from emporium.servicekit.testing import TokenFactory

CLIENT_ID = "orders"
CLIENT_SECRET = "orders-test-secret"


@dataclass
class Product:
    """A product with stock on hand."""

    sku: str
    name: str
    price_cents: int
    currency: str
    stock: int
    active: bool = True


@dataclass
class Reservation:
    """A reservation held for one order."""

    id: uuid.UUID
    order_id: uuid.UUID
    lines: list[tuple[uuid.UUID, int]]
    status: str = "pending"


@dataclass
class CatalogDouble:
    """In-memory catalog and token endpoint with fault switches."""

    tokens: TokenFactory
    products: dict[uuid.UUID, Product] = field(default_factory=dict)
    reservations: dict[uuid.UUID, Reservation] = field(default_factory=dict)
    issued: set[str] = field(default_factory=set)
    token_requests: int = 0
    reserve_calls: int = 0
    delay_seconds: float = 0.0
    fail_confirm: bool = False
    seen_headers: list[dict[str, str]] = field(default_factory=list)

    def reset_faults(self) -> None:
        """Back to a healthy, fast catalog."""
        self.delay_seconds = 0.0
        self.fail_confirm = False

    def add_product(
        self,
        *,
        stock: int = 10,
        price_cents: int = 1250,
        currency: str = "EUR",
        name: str | None = None,
    ) -> uuid.UUID:
        """A new product; returns its id."""
        product_id = uuid.uuid4()
        sku = f"SKU-{product_id.hex[:8]}"
        self.products[product_id] = Product(
            sku, name or f"Product {sku}", price_cents, currency, stock
        )
        return product_id

    def revoke_tokens(self) -> None:
        """Make every issued token invalid (as after a key rotation)."""
        self.issued.clear()

    def reservation_of(self, order_id: uuid.UUID) -> Reservation | None:
        """The reservation made for `order_id`, if any."""
        return next((r for r in self.reservations.values() if r.order_id == order_id), None)

    def app(self) -> FastAPI:
        """The ASGI app of the stand-in."""
        app = FastAPI()
        app.add_api_route("/auth/token", self._token, methods=["POST"])
        app.add_api_route("/catalog/reservations", self._reserve, methods=["POST"])
        app.add_api_route("/catalog/reservations/{rid}/confirm", self._confirm, methods=["POST"])
        app.add_api_route("/catalog/reservations/{rid}/release", self._release, methods=["POST"])
        return app

    async def _token(self, request: Request) -> JSONResponse:
        self.token_requests += 1
        form = await request.form()
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        client_id, _, secret = (
            base64.b64decode(encoded).decode().partition(":") if scheme == "Basic" else ("", "", "")
        )
        if form.get("grant_type") != "client_credentials" or (client_id, secret) != (
            CLIENT_ID,
            CLIENT_SECRET,
        ):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        token = self.tokens.issue(CLIENT_ID, "catalog:reserve", ttl=300, client_id=CLIENT_ID)
        self.issued.add(token)
        return JSONResponse(
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": 300,
                "scope": "catalog:reserve",
            }
        )

    async def _guard(self, request: Request) -> JSONResponse | None:
        self.seen_headers.append(dict(request.headers))
        await request.body()  # read it before a slow answer: the caller may hang up meanwhile
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme != "Bearer" or token not in self.issued:
            return _problem(401, "The access token is invalid.")
        return None

    async def _reserve(self, request: Request) -> JSONResponse:
        if (denied := await self._guard(request)) is not None:
            return denied
        self.reserve_calls += 1
        body = await request.json()
        order_id = uuid.UUID(body["order_id"])
        lines = [(uuid.UUID(i["product_id"]), int(i["quantity"])) for i in body["items"]]
        existing = self.reservation_of(order_id)
        if existing is not None:
            if existing.lines != lines:
                return _problem(409, "This order id was reserved with other items.")
            return JSONResponse(self._render(existing), status_code=200)
        unknown = [
            str(p) for p, _ in lines if p not in self.products or not self.products[p].active
        ]
        if unknown:
            return _problem(422, "Unknown or inactive products.", unknown_products=unknown)
        short = [
            {
                "product_id": str(p),
                "sku": self.products[p].sku,
                "requested": q,
                "available": self.products[p].stock,
            }
            for p, q in lines
            if self.products[p].stock < q
        ]
        if short:
            return _problem(409, "Not enough stock.", short_items=short)
        for p, q in lines:
            self.products[p].stock -= q
        reservation = Reservation(uuid.uuid4(), order_id, lines)
        self.reservations[reservation.id] = reservation
        return JSONResponse(self._render(reservation), status_code=201)

    async def _confirm(self, rid: uuid.UUID, request: Request) -> JSONResponse:
        if (denied := await self._guard(request)) is not None:
            return denied
        reservation = self.reservations.get(rid)
        if reservation is None:
            return _problem(404, "No such reservation.")
        if self.fail_confirm:
            return _problem(500, "Confirm failed.")
        if reservation.status == "released":
            return _problem(409, "The reservation was released.")
        reservation.status = "confirmed"
        return JSONResponse(self._render(reservation))

    async def _release(self, rid: uuid.UUID, request: Request) -> JSONResponse:
        if (denied := await self._guard(request)) is not None:
            return denied
        reservation = self.reservations.get(rid)
        if reservation is None:
            return _problem(404, "No such reservation.")
        if reservation.status != "released":
            for p, q in reservation.lines:
                self.products[p].stock += q
            reservation.status = "released"
        return JSONResponse(self._render(reservation))

    def _render(self, reservation: Reservation) -> dict[str, Any]:
        return {
            "id": str(reservation.id),
            "order_id": str(reservation.order_id),
            "status": reservation.status,
            "expires_at": "2099-01-01T00:00:00+00:00",
            "items": [
                {
                    "product_id": str(p),
                    "sku": self.products[p].sku,
                    "name": self.products[p].name,
                    "quantity": q,
                    "unit_price_cents": self.products[p].price_cents,
                    "currency": self.products[p].currency,
                }
                for p, q in reservation.lines
            ],
        }


def _problem(status: int, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": "Error", "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


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
