"""What tracing adds to each request while it is off (no endpoint): nanoseconds per call.

`python -m bench.tracing_overhead` times, in this process with no tracer provider installed,
the pieces the hot path runs whether or not tracing is on: the ids every log line looks up,
the gateway's client-span carrier for one upstream call, and the trust decision at the edge.
The whole-request view is `python -m bench.gateway --tracing`; this one is free of the
machine's noise because it needs no servers.
"""

from __future__ import annotations

import timeit
from collections.abc import Callable

from yarl import URL

from emporium.gateway.tracing import EdgeTracer
from emporium.servicekit.context import current_trace_ids, set_request_context

HEADERS = [("X-Request-ID", "abc"), ("traceparent", "00-" + "1" * 32 + "-" + "2" * 16 + "-01")]


def per_call_ns(statement: Callable[[], object], number: int = 200_000) -> float:
    """Best of five runs, in nanoseconds per call."""
    runs = timeit.repeat(statement, number=number, repeat=5)
    return min(runs) / number * 1e9


def main() -> None:
    """Print the table."""
    set_request_context("rid", HEADERS[1][1])
    tracing = EdgeTracer(None, "continue")
    url = URL("http://127.0.0.1:8002/catalog/products")

    def upstream_call() -> None:
        with tracing.call("catalog", url, "GET", HEADERS) as call:
            call.answered(200)

    rows = {
        "trace ids for a log line": per_call_ns(current_trace_ids),
        "client-span carrier of one upstream call": per_call_ns(upstream_call),
        "edge trust decision": per_call_ns(lambda: tracing.trusts(service_client=False)),
    }
    print("| piece (tracing off) | ns per call |\n|---|---:|")
    for name, ns in rows.items():
        print(f"| {name} | {ns:,.0f} |")


if __name__ == "__main__":
    main()
