"""The system `bench.orders` loads: booted whole, stocked, and customers with tokens."""

from __future__ import annotations

import re
import secrets
import time
import uuid
from collections import Counter
from pathlib import Path

import aiohttp
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.orderload import Customer
from emporium.auth.keys.service import SigningKey
from emporium.catalog.seed import load_synthetic
from emporium.devstack import Stack, StackConfig
from emporium.devstack.components import COMPONENTS
from emporium.devstack.ports import free_port

CUSTOMERS = 200
ADDRESSES = 20
PRODUCTS = 2_000
STOCK = 10_000_000
PARTS = ("gateway", "orders", "catalog", "auth")
_CATALOG_429 = re.compile(
    r'^http_requests_total\{[^}]*route="/catalog/\*\*"[^}]*status="(\d+)"[^}]*\} ([\d.e+]+)$', re.M
)

# The gateway serves its metrics to its scraper only; the benchmark reads the 429 counts there.
SCRAPE_TOKEN = secrets.token_urlsafe(16)


async def boot(base: Path, server: str | None, otel: dict[str, str] | None = None) -> Stack:
    """The whole system on free ports, with data in `base` (and `otel` variables, if any)."""
    config = StackConfig(
        data_dir=base,
        ports={c.name: free_port() for c in COMPONENTS},
        database_server_url=server,
        database_prefix=f"bench_{uuid.uuid4().hex[:8]}_",
        seed_demo_data=False,
        extra_env={
            "GATEWAY_METRICS_TOKEN": SCRAPE_TOKEN,
            # Each of the few customers places hundreds of orders of the hot product.
            "ORDERS_MAX_UNITS_PER_PRODUCT_PER_CUSTOMER": "1000000",
            **(otel or {}),
        },
    )
    stack = Stack(config, report=lambda line: print(f"  {line}", flush=True))
    await stack.start()
    return stack


async def load_products(catalog: AsyncEngine) -> tuple[list[uuid.UUID], uuid.UUID]:
    """Many products and one hot one, each with plenty of stock; their ids."""
    async with catalog.begin() as conn:
        await load_synthetic(conn, PRODUCTS, prefix="BENCH")
        await load_synthetic(conn, 1, prefix="HOT")
        await conn.execute(
            text("UPDATE product SET stock = :stock, active = true, currency = 'EUR'"),
            {"stock": STOCK},
        )
        many = (await conn.scalars(text("SELECT id FROM product WHERE sku LIKE 'BENCH-%'"))).all()
        hot = await conn.scalar(text("SELECT id FROM product WHERE sku = 'HOT-1'"))
    return list(many), hot


def make_customers(stack: Stack, count: int) -> list[Customer]:
    """`count` customers, each with an access token, connecting from a loopback address.

    The tokens are what auth's password grant issues (RS256, signed with this system's own
    key by auth's own code, same claims) for accounts the benchmark does not register one
    by one: 200 registrations and logins are 400 argon2 hashes, minutes on 2 busy cores,
    and no part of placing an order.
    """
    key = SigningKey.from_pem((stack.data_dir / "keys" / "jwt-signing-key.pem").read_bytes())
    sessions = [
        aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, local_addr=(f"127.0.0.{2 + i}", 0)),
            timeout=aiohttp.ClientTimeout(total=30),
        )
        for i in range(ADDRESSES)
    ]
    now = int(time.time())
    out = []
    for i in range(count):
        claims = {
            "iss": stack.config.public_url,
            "sub": str(uuid.uuid4()),
            "aud": "emporium",
            "iat": now,
            "exp": now + 4 * 3600,
            "jti": uuid.uuid4().hex,
            "scope": "",
        }
        out.append(Customer(f"customer-{i}", key.sign(claims), sessions[i % ADDRESSES]))
    return out


async def close_customers(customers: list[Customer]) -> None:
    """Close the customers' shared HTTP sessions."""
    for session in {id(c.session): c.session for c in customers}.values():
        await session.close()


async def check_token(gateway: str, customer: Customer) -> None:
    """The minted token passes the gateway and a service like one auth issued."""
    async with customer.session.get(
        f"{gateway}/orders", headers={"Authorization": f"Bearer {customer.token}"}
    ) as response:
        assert response.status == 200, await response.text()


async def catalog_leg(gateway: str) -> Counter[int]:
    """Requests the gateway answered on /catalog/** so far, by status (orders' calls)."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{gateway}/metrics", headers={"Authorization": f"Bearer {SCRAPE_TOKEN}"}
        ) as response,
    ):
        body = await response.text()
    counts: Counter[int] = Counter()
    for status, value in _CATALOG_429.findall(body):
        counts[int(status)] += int(float(value))
    return counts
