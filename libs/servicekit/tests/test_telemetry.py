"""Tracing is decided by the OTEL_* variables; log lines carry the trace either way."""

from __future__ import annotations

import contextvars
import json
import logging

import pytest
from opentelemetry.sdk.trace import TracerProvider

from emporium.servicekit.context import set_request_context
from emporium.servicekit.logs import JsonFormatter
from emporium.servicekit.telemetry import tracing_enabled

ENDPOINT = "http://collector:4318"


@pytest.mark.parametrize(
    ("environ", "enabled"),
    [
        ({}, False),
        ({"OTEL_SERVICE_NAME": "orders"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": f"{ENDPOINT}/v1/traces"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": " "}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT, "OTEL_SDK_DISABLED": "true"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT, "OTEL_SDK_DISABLED": "TRUE"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT, "OTEL_SDK_DISABLED": "false"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT, "OTEL_TRACES_EXPORTER": "none"}, False),
    ],
)
def test_tracing_is_on_only_with_an_endpoint_and_not_disabled(
    environ: dict[str, str], enabled: bool
) -> None:
    assert tracing_enabled(environ) is enabled


def _line() -> dict[str, object]:
    record = logging.makeLogRecord({"name": "t", "levelname": "INFO", "msg": "hello"})
    line: dict[str, object] = json.loads(JsonFormatter("demo").format(record))
    return line


def _in_a_request(request_id: str, traceparent: str | None) -> dict[str, object]:
    """A log line rendered inside a request's context (a copy: nothing leaks to other tests)."""

    def render() -> dict[str, object]:
        set_request_context(request_id, traceparent)
        return _line()

    return contextvars.copy_context().run(render)


def test_log_lines_carry_the_hops_traceparent_ids_without_tracing() -> None:
    trace_id, span_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"

    line = _in_a_request("rid-1", f"00-{trace_id}-{span_id}-01")

    assert (line["request_id"], line["trace_id"], line["span_id"]) == ("rid-1", trace_id, span_id)


def test_log_lines_carry_the_active_spans_ids_with_tracing() -> None:
    tracer = TracerProvider().get_tracer("test")

    with tracer.start_as_current_span("work") as span:
        line = _in_a_request("rid-2", None)

    context = span.get_span_context()
    assert line["trace_id"] == format(context.trace_id, "032x")
    assert line["span_id"] == format(context.span_id, "016x")
    assert line["request_id"] == "rid-2"
