"""`python -m emporium.devstack run|migrate|seed`: the local stack from one command."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from pathlib import Path

from emporium.devstack.config import DEMO_CUSTOMER, StackConfig
from emporium.devstack.stack import Stack, StackError

DEFAULT_DATA_DIR = Path(".data")


def _say(message: str) -> None:
    print(f"==> {message}", flush=True)


def _banner(config: StackConfig) -> None:
    url = config.public_url
    admin_email, admin_password = config.admin
    email, password, _ = DEMO_CUSTOMER
    print(
        f"""
Emporium is running.

  Docs portal   {url}/
  Swagger UI    {url}/docs
  ReDoc         {url}/redoc
  Readiness     {url}/readyz

  Demo admin     {admin_email} / {admin_password}
  Demo customer  {email} / {password}

  Logs in {config.data_dir / "logs"}/. Press Ctrl-C to stop everything.
""",
        flush=True,
    )


async def _run(config: StackConfig) -> int:
    stack = Stack(config, report=_say)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    starting = asyncio.create_task(stack.start())
    stopped = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({starting, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if starting.done():
            starting.result()
            _banner(config)
            await _watch(stack, stop)
        else:
            starting.cancel()
            with contextlib.suppress(asyncio.CancelledError, StackError):
                await starting
    except StackError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        _say("stopping")
        await stack.stop()
        _say("stopped; nothing of Emporium is left running")
    return 0


async def _watch(stack: Stack, stop: asyncio.Event) -> None:
    """Wait for Ctrl-C; report a part that dies on its own."""
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)
        for name, process in stack.processes.items():
            if not process.running:
                raise StackError(f"{name} stopped unexpectedly:\n{process.log_tail()}")


async def _prepare_only(config: StackConfig, seed: bool) -> int:
    config.seed_demo_data = seed
    stack = Stack(config, report=_say)
    try:
        await stack.prepare_databases()
    except StackError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        await stack.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run it."""
    parser = argparse.ArgumentParser(prog="python -m emporium.devstack")
    parser.add_argument("command", choices=["run", "migrate", "seed"])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args(argv)
    config = StackConfig.from_environ(args.data_dir.resolve())
    if args.command == "run":
        return asyncio.run(_run(config))
    return asyncio.run(_prepare_only(config, seed=args.command == "seed"))


if __name__ == "__main__":
    sys.exit(main())
