"""Wait until a URL answers 200 (e.g. the gateway's /readyz); exit 1 after a timeout.

python3 deploy/wait_ready.py http://localhost:8000/readyz 300
"""

from __future__ import annotations

import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit


def wait_ready(url: str, timeout: float, interval: float = 2.0) -> str | None:
    """Poll `url` until it answers 200; None when it did, else the last failure."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"not an http(s) URL: {url!r}")
    deadline = time.monotonic() + timeout
    while True:
        try:
            # urlopen would open file: URLs too; only http(s) ones get here (checked above).
            with urllib.request.urlopen(url, timeout=3) as response:  # nosec B310 # noqa: S310
                if response.status == 200:
                    return None
                last = f"HTTP {response.status}"
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        if time.monotonic() >= deadline:
            return last
        time.sleep(interval)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    failure = wait_ready(sys.argv[1], float(sys.argv[2]))
    if failure is not None:
        raise SystemExit(f"{sys.argv[1]} not ready after {sys.argv[2]}s: {failure}")
    sys.stdout.write(f"{sys.argv[1]} is ready\n")
