"""A stand-in for the gateway in front of auth and the catalog, served over real HTTP.

It implements the parts of the contract orders relies on (DESIGN.md): the
client-credentials token endpoint and the reservation API, with in-memory stock, plus
switches to make it slow, broken or reject tokens. Its answers, errors included, have the
shapes the real catalog sends: tests/contract/test_catalog_double.py runs the same cases
against both. It is a test double of *other* services; the orders app under test talks to
it through its real HTTP client. The catalog's rules are in `double_rules.py`, the HTTP
plumbing in `double_http.py`.
"""

from __future__ import annotations

import asyncio
import base64
import uuid
from dataclasses import dataclass, field

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from emporium.servicekit.testing import TokenFactory

from .double_http import CLIENT_ID, CLIENT_SECRET, closed_port_url, not_found, problem, serve
from .double_rules import (
    HOLDING,
    Product,
    Reservation,
    not_pending,
    render,
    repeated,
    short,
    unreservable,
)

__all__ = ["CLIENT_SECRET", "CatalogDouble", "Product", "Reservation", "closed_port_url", "serve"]

SCOPE = "catalog:reserve"


@dataclass
class CatalogDouble:
    """In-memory catalog and token endpoint with fault switches."""

    tokens: TokenFactory
    products: dict[uuid.UUID, Product] = field(default_factory=dict)
    reservations: dict[uuid.UUID, Reservation] = field(default_factory=dict)
    issued: dict[str, str] = field(default_factory=dict)
    """Valid access tokens and the client each was issued to."""
    token_requests: int = 0
    reserve_calls: int = 0
    delay_seconds: float = 0.0
    lose_answers: bool = False
    """Reservation calls do their work, then answer 500 (the answer is lost on the way)."""
    fail_release: bool = False
    conflict_type: str | None = None
    """Reservation calls refuse with a 409 of this problem type (one orders may not know)."""
    seen_headers: list[dict[str, str]] = field(default_factory=list)

    def reset_faults(self) -> None:
        """Back to a healthy, fast catalog."""
        self.delay_seconds = 0.0
        self.lose_answers = False
        self.fail_release = False
        self.conflict_type = None

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

    def issue_token(self, client_id: str = CLIENT_ID) -> str:
        """An access token of a service client allowed to reserve (as auth would issue)."""
        token = self.tokens.issue(client_id, SCOPE, ttl=300, client_id=client_id)
        self.issued[token] = client_id
        return token

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
        if reservation.status in HOLDING:
            self._restock(reservation)
            reservation.status = "released"
        return reservation

    def app(self) -> FastAPI:
        """The ASGI app of the stand-in."""
        app = FastAPI()
        app.add_api_route("/auth/token", self._token, methods=["POST"])
        app.add_api_route("/catalog/reservations", self._reserve, methods=["POST"])
        app.add_api_route("/catalog/reservations/{rid}", self._read, methods=["GET"])
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
        body = {"access_token": self.issue_token(), "token_type": "Bearer", "expires_in": 300}
        return JSONResponse({**body, "scope": SCOPE})

    async def _caller(self, request: Request) -> str | JSONResponse:
        """The calling client's id, or the 401 answer."""
        self.seen_headers.append(dict(request.headers))
        await request.body()  # read it before a slow answer: the caller may hang up meanwhile
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme != "Bearer" or token not in self.issued:
            return problem(request, 401, "unauthorized", "The access token is invalid.")
        return self.issued[token]

    def _own(self, request: Request, rid: uuid.UUID, client: str) -> Reservation | JSONResponse:
        """The caller's reservation `rid`; another client's is as unknown as a missing one."""
        reservation = self.reservations.get(rid)
        if reservation is None or reservation.client_id != client:
            return not_found(request, rid)
        return reservation

    async def _reserve(self, request: Request) -> JSONResponse:
        if isinstance(client := await self._caller(request), JSONResponse):
            return client
        self.reserve_calls += 1
        body = await request.json()
        order_id = uuid.UUID(body["order_id"])
        lines = [(uuid.UUID(i["product_id"]), int(i["quantity"])) for i in body["items"]]
        if self.conflict_type is not None:
            return problem(request, 409, self.conflict_type, "The catalog refuses for now.")
        if refused := repeated(request, lines):
            return refused
        existing = self.reservation_of(order_id)
        if existing is not None:
            return self._replay(request, existing, client, lines, bool(body.get("confirm")))
        if refused := unreservable(request, self.products, lines) or short(
            request, self.products, lines
        ):
            return refused
        reservation = self.hold(order_id, lines)
        reservation.client_id = client
        if body.get("confirm"):
            reservation.status = "confirmed"
        return self._answer(request, reservation, 201)

    def _replay(
        self,
        request: Request,
        existing: Reservation,
        client: str,
        lines: list[tuple[uuid.UUID, int]],
        confirm: bool,
    ) -> JSONResponse:
        order_id = existing.order_id
        if existing.client_id != client:
            detail = f"Order {order_id} already has a reservation that another client holds."
            return problem(request, 409, "order-reserved-elsewhere", detail)
        if sorted(existing.lines) != sorted(lines):
            detail = f"Order {order_id} already has a reservation with different items."
            return problem(
                request, 409, "reservation-mismatch", detail, reservation_id=str(existing.id)
            )
        if confirm and (refused := not_pending(request, existing)):
            return refused
        if confirm:
            existing.status = "confirmed"
        return self._answer(request, existing, 200)

    def _answer(self, request: Request, reservation: Reservation, status: int) -> JSONResponse:
        if self.lose_answers:
            return problem(request, 500, "internal", "The answer was lost.")
        location = {"Location": f"/catalog/reservations/{reservation.id}"}
        return JSONResponse(
            render(self.products, reservation), status_code=status, headers=location
        )

    async def _read(self, rid: uuid.UUID, request: Request) -> JSONResponse:
        if isinstance(client := await self._caller(request), JSONResponse):
            return client
        if isinstance(reservation := self._own(request, rid, client), JSONResponse):
            return reservation
        return JSONResponse(render(self.products, reservation))

    async def _confirm(self, rid: uuid.UUID, request: Request) -> JSONResponse:
        if isinstance(client := await self._caller(request), JSONResponse):
            return client
        if isinstance(reservation := self._own(request, rid, client), JSONResponse):
            return reservation
        if refused := not_pending(request, reservation):
            return refused
        reservation.status = "confirmed"
        return JSONResponse(render(self.products, reservation))

    async def _release(self, rid: uuid.UUID, request: Request) -> JSONResponse:
        if isinstance(client := await self._caller(request), JSONResponse):
            return client
        if self.fail_release:  # what the gateway answers while the catalog is down
            detail = "The catalog service is unavailable."
            retry = {"Retry-After": "1"}
            return problem(request, 503, "upstream-unavailable", detail, headers=retry)
        if isinstance(reservation := self._own(request, rid, client), JSONResponse):
            return reservation
        return JSONResponse(render(self.products, self.release(reservation.id)))

    def _restock(self, reservation: Reservation) -> None:
        for p, q in reservation.lines:
            self.products[p].stock += q
