"""Container healthcheck: exit 0 when a URL answers 2xx, else 1 (standard library only).

    python -m emporium.servicekit.probe http://127.0.0.1:8000/readyz [--timeout=4]

The Dockerfile's HEALTHCHECK and compose.yaml's healthchecks run it in exec form. None of
its arguments holds a space: Podman's Docker-compatible API splits exec-form arguments at
spaces, so an inline `python -c "..."` healthcheck breaks there.
"""

from __future__ import annotations

import http.client
import sys
from collections.abc import Sequence
from urllib.parse import urlsplit

DEFAULT_TIMEOUT_SECONDS = 4.0
USAGE = "usage: python -m emporium.servicekit.probe URL [--timeout=SECONDS]"


class UsageError(ValueError):
    """The command line does not name one http(s) URL and an optional timeout."""


def parse_args(argv: Sequence[str]) -> tuple[str, float]:
    """The URL and timeout from `URL [--timeout=SECONDS]`."""
    urls = [arg for arg in argv if not arg.startswith("--")]
    options = [arg for arg in argv if arg.startswith("--")]
    if len(urls) != 1:
        raise UsageError(USAGE)
    timeout = DEFAULT_TIMEOUT_SECONDS
    for option in options:
        name, _, value = option.partition("=")
        if name != "--timeout":
            raise UsageError(f"unknown option {name}; {USAGE}")
        try:
            timeout = float(value)
        except ValueError:
            raise UsageError(f"--timeout needs a number of seconds, got {value!r}") from None
        if timeout <= 0:
            raise UsageError(f"--timeout must be positive, got {value}")
    url = urls[0]
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise UsageError(f"not an http(s) URL: {url!r}")
    return url, timeout


def probe(url: str, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> str | None:
    """GET `url` directly (no proxy, no redirects); None when it answers 2xx, else why not."""
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname or "", parts.port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        connection.request("GET", path, headers={"User-Agent": "emporium-probe"})
        response = connection.getresponse()
        response.read()
    except (OSError, http.client.HTTPException) as exc:
        return f"{url}: {exc.__class__.__name__}: {exc}"
    finally:
        connection.close()
    if 200 <= response.status < 300:
        return None
    return f"{url}: HTTP {response.status} {response.reason}"


def main(argv: Sequence[str]) -> int:
    """Probe the URL named by `argv`; the exit status a healthcheck expects (0 or 1)."""
    try:
        url, timeout = parse_args(argv)
    except UsageError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    failure = probe(url, timeout)
    if failure is not None:
        sys.stderr.write(f"unhealthy: {failure}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
