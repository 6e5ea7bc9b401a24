"""Header rewriting between the client and an upstream (RFC 9110 §7.6.1 hop-by-hop)."""

from __future__ import annotations

from collections.abc import Iterable

# Never forwarded in either direction (hop-by-hop), plus the ones the gateway sets itself.
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-connection",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
_REQUEST_DROP = HOP_BY_HOP | {
    b"host",
    b"expect",
    b"x-request-id",
    b"traceparent",
    b"x-forwarded-for",
    b"x-forwarded-proto",
    b"x-forwarded-host",
    b"forwarded",
}
# The ASGI server adds its own date and server headers; the gateway sets the request id.
_RESPONSE_DROP = HOP_BY_HOP | {b"date", b"server", b"x-request-id"}


def connection_tokens(value: bytes | None) -> frozenset[bytes]:
    """Header names listed in a `Connection` header (they are hop-by-hop too)."""
    if not value:
        return frozenset()
    return frozenset(t.strip().lower() for t in value.split(b",") if t.strip())


def upstream_request_headers(
    raw: Iterable[tuple[bytes, bytes]],
    *,
    connection: bytes | None,
    request_id: str,
    traceparent: str,
    client_host: str | None,
    scheme: str,
    host: bytes | None,
) -> list[tuple[str, str]]:
    """The client's end-to-end headers plus request id, trace and `X-Forwarded-*`.

    `X-Forwarded-For` is replaced, never extended: it names the one client address the
    gateway determined (the ASGI server resolves it through trusted proxies only, see
    `FORWARDED_ALLOW_IPS`), so a client cannot slip a forged address past the services.
    """
    drop = _REQUEST_DROP | connection_tokens(connection) if connection else _REQUEST_DROP
    out = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in raw if k not in drop]
    out.append(("X-Request-ID", request_id))
    out.append(("traceparent", traceparent))
    if client_host:
        out.append(("X-Forwarded-For", client_host))
    out.append(("X-Forwarded-Proto", scheme))
    if host:
        out.append(("X-Forwarded-Host", host.decode("latin-1")))
    return out


def client_response_headers(
    raw: Iterable[tuple[bytes, bytes]], request_id: bytes
) -> list[tuple[bytes, bytes]]:
    """The upstream's end-to-end response headers plus the request id."""
    items = list(raw)
    drop = _RESPONSE_DROP
    for k, v in items:
        if k.lower() == b"connection":
            drop = _RESPONSE_DROP | connection_tokens(v)
            break
    out = [(k.lower(), v) for k, v in items if k.lower() not in drop]
    out.append((b"x-request-id", request_id))
    return out
