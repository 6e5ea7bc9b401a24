"""What became of orders, as metrics and as the placement's span."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from opentelemetry import trace

from emporium.servicekit.errors import DomainError
from emporium.servicekit.metrics import Metrics

ORDER_ID_ATTRIBUTE = "emporium.order.id"

_tracer = trace.get_tracer("emporium.orders")


class OrderOutcomes:
    """Orders placed, rejected, compensated and recovered (Prometheus counters)."""

    def __init__(self, metrics: Metrics) -> None:
        self._service = metrics.service
        self._placed = metrics.counter("orders_placed", "Orders placed and confirmed.").labels(
            metrics.service
        )
        self._rejected = metrics.counter(
            "orders_rejected", "Orders refused, by problem type (slug).", ["reason"]
        )
        self._compensated = metrics.counter(
            "orders_compensated",
            "Orders undone after the catalog had sold them (their stock released).",
        ).labels(metrics.service)
        self._recovered = metrics.counter(
            "orders_recovered",
            "Stale pending orders the recovery task resolved, by resolution.",
            ["resolution"],
        )

    @contextmanager
    def placement(self) -> Iterator[None]:
        """Span one placement (an error when it fails) and count a refusal by its reason."""
        with _tracer.start_as_current_span("place order"):
            try:
                yield
            except DomainError as exc:
                self._rejected.labels(self._service, exc.problem_slug).inc()
                raise

    def placed(self) -> None:
        """One order was placed (not a replay)."""
        self._placed.inc()

    def compensated(self) -> None:
        """One order's sale was undone."""
        self._compensated.inc()

    def recovered(self, resolutions: Mapping[str, int]) -> None:
        """Count a recovery round's resolutions."""
        for resolution, count in resolutions.items():
            self._recovered.labels(self._service, resolution).inc(count)


def mark_order(order_id: object) -> None:
    """Put the order id on the current span (the placement's)."""
    trace.get_current_span().set_attribute(ORDER_ID_ATTRIBUTE, str(order_id))


async def get_order_outcomes(request: Request) -> OrderOutcomes:
    """The app's order outcome metrics."""
    outcomes: OrderOutcomes = request.app.state.order_outcomes
    return outcomes


OrderOutcomesDep = Annotated[OrderOutcomes, Depends(get_order_outcomes)]
