"""What the gateway benchmarks share: its settings, a signed token, the static upstream."""

from __future__ import annotations

import json
from pathlib import Path

from emporium.servicekit.testing import TokenFactory

PATH = "/catalog/products"


def gateway_env(upstream: str, jwks: str) -> dict[str, str]:
    """Gateway settings for the benchmark: production defaults, limits high enough for wrk."""
    upstreams = [
        {"name": "catalog", "url": upstream, "prefixes": ["/catalog"]},
        {"name": "auth", "url": "http://127.0.0.1:9", "prefixes": ["/auth"]},
    ]
    return {
        "GATEWAY_UPSTREAMS": json.dumps(upstreams),
        "GATEWAY_JWKS_URL": jwks,
        **{
            f"GATEWAY_{kind}_RATE_LIMIT_{knob}": "1000000000"
            for kind in ("ANONYMOUS", "CUSTOMER", "CUSTOMER_ADDRESS")
            for knob in ("PER_SECOND", "BURST")
        },
        "GATEWAY_ENVIRONMENT": "production",
    }


def publish_jwks(base: Path) -> TokenFactory:
    """A token signer whose public key nginx serves as www/jwks.json."""
    tokens = TokenFactory()
    (base / "www").mkdir(exist_ok=True)
    (base / "www" / "jwks.json").write_text(json.dumps({"keys": [tokens.public_jwk]}))
    return tokens
