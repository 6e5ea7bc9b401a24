"""Reading what the system exports: trace context, span trees and Prometheus samples."""

from __future__ import annotations

import secrets

from emporium.servicekit.otlp_receiver import SPAN_KIND_CLIENT, SPAN_KIND_SERVER, ReceivedSpan


def new_traceparent() -> tuple[str, str, str]:
    """A sampled W3C traceparent of a fresh trace: (header, trace id, parent span id)."""
    trace_id, span_id = secrets.token_hex(16), secrets.token_hex(8)
    return f"00-{trace_id}-{span_id}-01", trace_id, span_id


def named(spans: list[ReceivedSpan], service: str, kind: int, name: str) -> list[ReceivedSpan]:
    """The spans of one service with this kind and name."""
    return [s for s in spans if s.service == service and s.kind == kind and s.name == name]


def children(spans: list[ReceivedSpan], parent: ReceivedSpan) -> list[ReceivedSpan]:
    """The spans whose parent is `parent`."""
    return [s for s in spans if s.parent_id == parent.span_id]


def descendants(spans: list[ReceivedSpan], root: ReceivedSpan) -> list[ReceivedSpan]:
    """Every span below `root`, level by level."""
    found: list[ReceivedSpan] = []
    frontier = [root]
    while frontier:
        below = [c for p in frontier for c in children(spans, p)]
        found.extend(below)
        frontier = below
    return found


def sql_spans(spans: list[ReceivedSpan], server: ReceivedSpan) -> list[ReceivedSpan]:
    """The database spans under a server span, in its own service."""
    return [
        s
        for s in descendants(spans, server)
        if s.service == server.service
        and s.kind == SPAN_KIND_CLIENT
        and "db.system.name" in s.attributes
    ]


def complete_order_trace(spans: list[ReceivedSpan], *, client_span_id: str) -> bool:
    """True once an order's trace holds the catalog's SQL, the placement, orders' server span
    and the gateway's span of the client's request (the last to end).

    Counting the gateway's server spans is not enough: the order may also carry orders'
    first client-credentials token request through the gateway.
    """
    catalog_in = [s for s in spans if s.service == "catalog" and s.kind == SPAN_KIND_SERVER]
    return (
        bool(catalog_in)
        and bool(sql_spans(spans, catalog_in[0]))
        and any(s.name == "place order" for s in spans)
        and any(s.service == "orders" and s.kind == SPAN_KIND_SERVER for s in spans)
        and any(
            s.service == "gateway" and s.kind == SPAN_KIND_SERVER and s.parent_id == client_span_id
            for s in spans
        )
    )


def metric_value(text: str, name: str, **labels: str) -> float:
    """The value of one series in a Prometheus text exposition (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{"):
            continue
        body = line[len(name) + 1 : line.rindex("}")]
        found = dict(part.split("=", 1) for part in body.split(","))
        if all(found.get(k) == f'"{v}"' for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0
