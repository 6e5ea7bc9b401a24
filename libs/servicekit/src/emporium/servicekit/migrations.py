"""Alembic helpers: a few-line `migrations/env.py` and a per-service migrate command."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Sequence

from alembic import command, context
from alembic.config import CommandLine, Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from emporium.servicekit.settings import ServiceSettings, to_async_url

FILE_TEMPLATE = "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s"


def alembic_config(package: str, database_url: str) -> Config:
    """An alembic Config for `<package>:migrations` pointed at `database_url`."""
    cfg = Config()
    cfg.set_main_option("script_location", f"{package}:migrations")
    cfg.set_main_option("file_template", FILE_TEMPLATE)
    cfg.set_main_option("timezone", "UTC")
    cfg.attributes["database_url"] = to_async_url(database_url)
    return cfg


def upgrade_head(package: str, database_url: str) -> None:
    """Apply every migration of `package` (blocking; call it from a thread in async code)."""
    command.upgrade(alembic_config(package, database_url), "head")


def run_env(metadata: MetaData) -> None:
    """Body of a service's `migrations/env.py`: offline SQL or online over asyncpg."""
    config = context.config
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL given to alembic")
    if context.is_offline_mode():
        context.configure(
            url=url,
            literal_binds=True,
            target_metadata=metadata,
            compare_type=True,
            compare_server_default=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return

    def do_run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            compare_type=True,
            compare_server_default=True,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        try:
            async with engine.connect() as connection:
                await connection.run_sync(do_run)
                await connection.commit()
        finally:
            await engine.dispose()

    asyncio.run(run_async())


def main(
    package: str, settings_factory: Callable[[], ServiceSettings], argv: Sequence[str] | None = None
) -> None:
    """The alembic command line for one service, configured from its settings."""
    cli = CommandLine(prog=f"python -m {package}.migrate")
    args = list(sys.argv[1:] if argv is None else argv) or ["upgrade", "head"]
    options = cli.parser.parse_args(args)
    if not hasattr(options, "cmd"):
        cli.parser.error("too few arguments")
    # Alembic's own CLI logs from its ini file; here there is none, so say what runs
    # ("Running upgrade a -> b"), or a migration job's log is silent either way.
    logging.basicConfig(level=logging.INFO, format="%(levelname)s [%(name)s] %(message)s")
    cli.run_cmd(alembic_config(package, settings_factory().database_url), options)
