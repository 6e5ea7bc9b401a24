"""Gateway test fixtures: real upstream processes and real gateway processes on free ports."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest

from emporium.gateway.server import UVICORN_OPTION
from emporium.servicekit.testing import TokenFactory

from .realsystem import RealSystem, boot_real_system
from .servers import TESTS_DIR, ServerProcess, SilentServer, free_port, uvicorn_command

StartGateway = Callable[..., Awaitable[ServerProcess]]


METRICS_TOKEN = "scraper-secret-for-tests"


@pytest.fixture(scope="session")
def log_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the processes of this session write their logs."""
    return tmp_path_factory.mktemp("gateway-logs")


async def start_upstream(name: str, log_dir: Path, **env: str) -> ServerProcess:
    """The fake upstream (tests/upstream_app.py) as a real uvicorn process."""
    port = free_port()
    command = uvicorn_command("upstream_app:app", port, app_dir=TESTS_DIR)
    process = ServerProcess(name, command, port, {"FAKE_NAME": name, **env}, log_dir)
    return await process.start(ready_path="/readyz")


@pytest.fixture(scope="session")
async def echo(log_dir: Path, token_factory: TokenFactory) -> AsyncIterator[ServerProcess]:
    """An echo upstream that also serves the test token factory's JWKS."""
    process = await start_upstream(
        "echo", log_dir, FAKE_JWKS=json.dumps({"keys": [token_factory.public_jwk]})
    )
    yield process
    await process.stop()


def upstreams_env(table: Mapping[str, tuple[str, list[str]]]) -> str:
    """`GATEWAY_UPSTREAMS` for {name: (url, prefixes)}."""
    return json.dumps([{"name": n, "url": u, "prefixes": p} for n, (u, p) in table.items()])


def all_to(url: str) -> str:
    """`GATEWAY_UPSTREAMS` sending every service's path space to one URL."""
    return upstreams_env(
        {
            "auth": (url, ["/auth", "/.well-known"]),
            "catalog": (url, ["/catalog"]),
            "orders": (url, ["/orders"]),
        }
    )


def orders_silent(echo: ServerProcess, silent: SilentServer) -> str:
    """`GATEWAY_UPSTREAMS` with auth and catalog on the echo upstream, orders never answering."""
    return upstreams_env(
        {
            "auth": (echo.url, ["/auth", "/.well-known"]),
            "catalog": (echo.url, ["/catalog"]),
            "orders": (silent.url, ["/orders"]),
        }
    )


@pytest.fixture(scope="module")
async def silent() -> AsyncIterator[SilentServer]:
    """An upstream that accepts connections and never answers."""
    async with SilentServer() as server:
        yield server


@pytest.fixture(scope="session")
async def start_gateway(log_dir: Path, echo: ServerProcess) -> AsyncIterator[StartGateway]:
    """Start gateway processes (stopped at the end of the session)."""
    started: list[ServerProcess] = []

    async def start(name: str = "gateway", **env: Any) -> ServerProcess:
        port = free_port()
        values = {
            "GATEWAY_UPSTREAMS": all_to(echo.url),
            "GATEWAY_JWKS_URL": f"{echo.url}/.well-known/jwks.json",
            "GATEWAY_ENVIRONMENT": "test",
            "GATEWAY_LOG_JSON": "false",
            **{
                f"GATEWAY_{kind}_RATE_LIMIT_{knob}": "100000"
                for kind in ("ANONYMOUS", "CUSTOMER", "CUSTOMER_ADDRESS", "SERVICE", "TOKEN")
                for knob in ("PER_SECOND", "BURST")
            },
            "GATEWAY_OPENAPI_RETRY_SECONDS": "0.5",
            "GATEWAY_METRICS_TOKEN": METRICS_TOKEN,
        }
        values.update({k.upper(): str(v) for k, v in env.items()})
        command = [
            *uvicorn_command("emporium.gateway.main:create_app", port, factory=True),
            UVICORN_OPTION,
        ]
        process = ServerProcess(f"{name}-{port}", command, port, values, log_dir)
        started.append(process)
        return await process.start()

    yield start
    for process in started:
        await process.stop()


@pytest.fixture(scope="session")
async def gateway(start_gateway: StartGateway) -> ServerProcess:
    """A gateway in front of the echo upstream with generous limits."""
    return await start_gateway(GATEWAY_MAX_BODY_BYTES=str(8 * 1024 * 1024))


@pytest.fixture
async def client(gateway: ServerProcess) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the default gateway."""
    async with httpx.AsyncClient(base_url=gateway.url, timeout=10.0) as c:
        yield c


@pytest.fixture(scope="session")
async def real_system(postgres_server_url: str, log_dir: Path) -> AsyncIterator[RealSystem]:
    """Real auth and catalog services behind a real gateway (orders is down on purpose)."""
    async for system in boot_real_system(postgres_server_url, log_dir):
        yield system
