"""nginx for the benchmarks: installed when missing, configured, run as a daemon."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bench.servers import sh


def ensure_tools() -> None:
    """Install nginx and wrk from the Debian packages when they are missing."""
    missing = [
        t for t in ("nginx", "wrk") if not shutil.which(t) and not Path(f"/usr/sbin/{t}").exists()
    ]
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print(f"installing {' '.join(missing)} (apt-get)")
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "--no-install-recommends", *missing], check=True
    )


def nginx_binary() -> str:
    """Where nginx is installed."""
    return shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_conf(base: Path, catalog: int, ports: dict[str, int]) -> Path:
    """nginx: a proxy in front of the catalog, a static file server and a proxy in front of it."""
    conf = base / "nginx.conf"
    scratch = base / "scratch"
    scratch.mkdir(exist_ok=True)
    conf.write_text(
        f"""worker_processes 1;
pid {base}/nginx.pid;
error_log {base}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log {base}/nginx-access.log;
  client_body_temp_path {scratch}; proxy_temp_path {scratch}; fastcgi_temp_path {scratch};
  uwsgi_temp_path {scratch}; scgi_temp_path {scratch};
  upstream catalog {{ server 127.0.0.1:{catalog}; keepalive 128; }}
  upstream static {{ server 127.0.0.1:{ports["static"]}; keepalive 128; }}
  server {{
    listen 127.0.0.1:{ports["nginx_catalog"]};
    location / {{ proxy_pass http://catalog; proxy_http_version 1.1;
      proxy_set_header Connection ""; proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; }}
  }}
  server {{
    listen 127.0.0.1:{ports["static"]};
    root {base}/www; default_type application/json;
  }}
  server {{
    listen 127.0.0.1:{ports["nginx_static"]};
    location / {{ proxy_pass http://static; proxy_http_version 1.1;
      proxy_set_header Connection ""; proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; }}
  }}
}}
"""
    )
    return conf


@asynccontextmanager
async def running_nginx(base: Path, conf: Path) -> AsyncIterator[None]:
    """nginx as a daemon on `conf` while the block runs; stopped after it if it started."""
    try:
        await sh([nginx_binary(), "-c", str(conf), "-p", str(base), "-g", "daemon on;"])
        yield
    finally:
        if (base / "nginx.pid").exists():
            stop = [nginx_binary(), "-c", str(conf), "-p", str(base), "-s", "stop"]
            await sh(stop, check=False)
