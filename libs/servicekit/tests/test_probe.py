"""The healthcheck probe: 0 for a 2xx answer, 1 for anything else, never a hang."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from emporium.servicekit.probe import UsageError, main, parse_args, probe


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status = {"/readyz": 200, "/down": 503, "/moved": 302}.get(self.path.split("?")[0], 404)
        if self.path == "/slow":
            time.sleep(2)
            status = 200
        if self.path == "/readyz?echo=1":
            status = 204
        self.send_response(status)
        if status == 302:
            self.send_header("Location", "/readyz")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A real HTTP server on a free port; its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_2xx_answer_is_healthy(server: str) -> None:
    assert probe(f"{server}/readyz") is None
    assert probe(f"{server}/readyz?echo=1") is None
    assert main([f"{server}/readyz"]) == 0


def test_an_error_status_is_unhealthy_and_named(
    server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([f"{server}/down"]) == 1
    assert "HTTP 503" in capsys.readouterr().err
    assert probe(f"{server}/nowhere") == f"{server}/nowhere: HTTP 404 Not Found"


def test_a_redirect_is_not_followed(server: str) -> None:
    assert probe(f"{server}/moved") == f"{server}/moved: HTTP 302 Found"


def test_a_refused_connection_is_unhealthy() -> None:
    failure = probe(f"http://127.0.0.1:{_closed_port()}/readyz")
    assert failure is not None
    assert "ConnectionRefusedError" in failure


def test_a_slow_answer_is_cut_at_the_timeout(server: str) -> None:
    started = time.monotonic()
    assert main([f"{server}/slow", "--timeout=0.3"]) == 1
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "usage"),
        (["http://a/readyz", "http://b/readyz"], "usage"),
        (["127.0.0.1:8000/readyz"], "not an http(s) URL"),
        (["file:///etc/passwd"], "not an http(s) URL"),
        (["http://a/readyz", "--timeout=soon"], "needs a number"),
        (["http://a/readyz", "--timeout=0"], "must be positive"),
        (["http://a/readyz", "--retries=3"], "unknown option --retries"),
    ],
)
def test_bad_arguments_exit_1_saying_why(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        parse_args(argv)
    assert main(argv) == 1
    assert message in capsys.readouterr().err


def test_the_module_runs_as_a_command_without_proxies(server: str) -> None:
    # A proxy in the environment must not be used: the probe asks the container itself.
    env = os.environ | {"http_proxy": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    command = [sys.executable, "-m", "emporium.servicekit.probe"]
    ok = subprocess.run([*command, f"{server}/readyz"], env=env, capture_output=True, check=False)
    assert ok.returncode == 0, ok.stderr
    down = subprocess.run([*command, f"{server}/down"], env=env, capture_output=True, check=False)
    assert down.returncode == 1
    assert b"HTTP 503" in down.stderr
