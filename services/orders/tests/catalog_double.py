"""A stand-in for the gateway in front of auth and the catalog, served over real HTTP.

It implements the parts of the contract orders relies on (DESIGN.md): the
client-credentials token endpoint and the reservation API, with in-memory stock, plus
switches to make it slow, broken or reject tokens. Its answers, errors included, have the
shapes the real catalog sends (services/catalog/.../reservations). It is a test double of
*other* services; the orders app under test talks to it through its real HTTP client.
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

from emporium.servicekit.problems import problem_response
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
    lose_answers: bool = False
    """Reservation calls do their work, then answer 500 (the answer is lost on the way)."""
    fail_release: bool = False
    seen_headers: list[dict[str, str]] = field(default_factory=list)

    def reset_faults(self) -> None:
        """Back to a healthy, fast catalog."""
        self.delay_seconds = 0.0
        self.fail_confirm = False
        self.lose_answers = False
        self.fail_release = False

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

    def hold(self, order_id: uuid.UUID, lines: list[tuple[uuid.UUID, int]]) -> Reservation:
        """Take the stock of `lines` into a new pending reservation for `order_id`."""
        for p, q in lines:
            self.products[p].stock -= q
        reservation = Reservation(uuid.uuid4(), order_id, lines)
        self.reservations[reservation.id] = reservation
        return reservation

    def expire(self, reservation_id: uuid.UUID) -> None:
        """What the catalog's sweeper does to an overdue pending reservation."""
        reservation = self.reservations[reservation_id]
        assert reservation.status == "pending"
        self._restock(reservation)
        reservation.status = "expired"

    def release(self, reservation_id: uuid.UUID) -> Reservation:
        """Give a pending or confirmed reservation's stock back; again is a no-op."""
        reservation = self.reservations[reservation_id]
        if reservation.status in ("pending", "confirmed"):
            self._restock(reservation)
            reservation.status = "released"
        return reservation

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
            return _problem(request, 401, "unauthorized", "The access token is invalid.")
        return None

    async def _reserve(self, request: Request) -> JSONResponse:
        if (denied := await self._guard(request)) is not None:
            return denied
        self.reserve_calls += 1
        body = await request.json()
        order_id = uuid.UUID(body["order_id"])
        lines = [(uuid.UUID(i["product_id"]), int(i["quantity"])) for i in body["items"]]
        confirm = bool(body.get("confirm", False))
        existing = self.reservation_of(order_id)
        if existing is not None:
            if sorted(existing.lines) != sorted(lines):
                return _problem(
                    request,
                    409,
                    "reservation-mismatch",
                    f"Order {order_id} already has a reservation with different items.",
                    reservation_id=str(existing.id),
                )
            if confirm and existing.status in ("released", "expired"):
                return _problem(
                    request,
                    409,
                    "reservation-not-pending",
                    f"The reservation is {existing.status}; reserve the stock again.",
                    reservation_status=existing.status,
                )
            if confirm:
                existing.status = "confirmed"
            return self._answer(request, self._render(existing), 200)
        errors = [
            _item_error(index, "no such product")
            if p not in self.products
            else _item_error(index, "the product is not for sale (inactive)")
            for index, (p, _) in enumerate(lines)
            if p not in self.products or not self.products[p].active
        ]
        if errors:
            return _problem(
                request,
                422,
                "unreservable-items",
                "Some items cannot be reserved.",
                errors=errors,
            )
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
            skus = ", ".join(str(item["sku"]) for item in short)
            return _problem(
                request,
                409,
                "insufficient-stock",
                f"Not enough stock for: {skus}.",
                short_items=short,
            )
        reservation = self.hold(order_id, lines)
        if confirm:
            reservation.status = "confirmed"
        return self._answer(request, self._render(reservation), 201)

    def _answer(self, request: Request, body: dict[str, Any], status: int) -> JSONResponse:
        if self.lose_answers:
            return _problem(request, 500, "internal", "The answer was lost.")
        return JSONResponse(body, status_code=status)

    async def _confirm(self, rid: uuid.UUID, request: Request) -> JSONResponse:
        if (denied := await self._guard(request)) is not None:
            return denied
        reservation = self.reservations.get(rid)
        if reservation is None:
            return _not_found(request, rid)
        if self.fail_confirm:
            return _problem(request, 500, "internal", "Confirm failed.")
        if reservation.status in ("released", "expired"):
            return _problem(
                request,
                409,
                "reservation-not-pending",
                f"The reservation is {reservation.status}; reserve the stock again.",
                reservation_status=reservation.status,
            )
        reservation.status = "confirmed"
        return JSONResponse(self._render(reservation))

    async def _release(self, rid: uuid.UUID, request: Request) -> JSONResponse:
        if (denied := await self._guard(request)) is not None:
            return denied
        if self.fail_release:  # what the gateway answers while the catalog is down
            return _problem(
                request,
                503,
                "upstream-unavailable",
                "The catalog service is unavailable.",
                headers={"Retry-After": "1"},
            )
        if rid not in self.reservations:
            return _not_found(request, rid)
        return JSONResponse(self._render(self.release(rid)))

    def _restock(self, reservation: Reservation) -> None:
        for p, q in reservation.lines:
            self.products[p].stock += q

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


def _problem(
    request: Request,
    status: int,
    slug: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    return problem_response(
        status,
        detail=detail,
        slug=slug,
        instance=request.url.path,
        extra=extra,
        headers=headers,
    )


def _not_found(request: Request, rid: uuid.UUID) -> JSONResponse:
    return _problem(request, 404, "reservation-not-found", f"No reservation has the id {rid}.")


def _item_error(index: int, message: str) -> dict[str, str]:
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
