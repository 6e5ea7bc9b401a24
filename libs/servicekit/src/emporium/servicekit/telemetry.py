"""OpenTelemetry tracing, decided by the standard `OTEL_*` variables and set up in one place.

Tracing is on when an OTLP endpoint is set (`OTEL_EXPORTER_OTLP_ENDPOINT`, or the traces-only
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), unless `OTEL_SDK_DISABLED=true` or
`OTEL_TRACES_EXPORTER=none`. When off, the SDK is not even imported: no provider, no
instrumentation, no exporter thread; only the API's no-op tracer is left on the hot path.
The SDK reads the rest itself: `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`,
`OTEL_TRACES_SAMPLER` (+ `_ARG`), `OTEL_BSP_*`, `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_PROPAGATORS`.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from opentelemetry import trace

if TYPE_CHECKING:
    import httpx
    from fastapi import FastAPI
    from opentelemetry.sdk.trace import TracerProvider
    from sqlalchemy.ext.asyncio import AsyncEngine

    from emporium.servicekit.settings import ServiceSettings

logger = logging.getLogger("emporium.telemetry")

# Probes, scrapes and the revocation list every part polls would be most of the spans and
# none of the interest.
EXCLUDED_URLS = "/healthz,/readyz,/metrics,/.well-known/revocations.json"

_provider: TracerProvider | None = None
_engine_instrumented = False


def tracing_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """True when the `OTEL_*` variables ask for traces to be exported."""
    env = os.environ if environ is None else environ
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    if env.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower() == "none":
        return False
    return bool(
        env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").strip()
        or env.get("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip()
    )


def tracer_provider() -> TracerProvider | None:
    """This process's tracer provider, or None while tracing is off."""
    return _provider


def setup_tracing(settings: ServiceSettings) -> TracerProvider | None:
    """Install the SDK's provider with an OTLP/HTTP exporter, once per process; None when off."""
    global _provider
    if _provider is not None or not tracing_enabled():
        return _provider
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    attributes: dict[str, str] = {
        "service.version": settings.service_version,
        "deployment.environment": settings.environment,
        "deployment.environment.name": settings.environment,
    }
    # The stable HTTP and database conventions, as the gateway's own spans use; the
    # instrumentations read this variable when they start.
    os.environ.setdefault("OTEL_SEMCONV_STABILITY_OPT_IN", "http,database")
    if not os.environ.get("OTEL_SERVICE_NAME"):
        attributes["service.name"] = settings.service_name
    # The sampler comes from OTEL_TRACES_SAMPLER (default: parent-based, always on).
    provider = TracerProvider(resource=Resource.create(attributes))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    _provider = provider
    logger.info("tracing on: spans are exported over OTLP/HTTP")
    return provider


def instrument_app(app: FastAPI, provider: TracerProvider) -> None:
    """A server span per request (route template as its name), probes left out."""
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=provider,
        excluded_urls=EXCLUDED_URLS,
        exclude_spans=["receive", "send"],
    )


def instrument_http_client(client: httpx.AsyncClient, provider: TracerProvider) -> None:
    """A client span per call, and the trace context injected into its headers."""
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    HTTPXClientInstrumentor.instrument_client(client, tracer_provider=provider)


def instrument_engine(engine: AsyncEngine, provider: TracerProvider) -> None:
    """A span per SQL statement (the instrumentation serves one engine per process)."""
    global _engine_instrumented
    if _engine_instrumented:
        return
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    # The instrumentation declares SQLAlchemy < 2.1; the engine events it uses are unchanged.
    SQLAlchemyInstrumentor().instrument(
        engine=engine.sync_engine, tracer_provider=provider, skip_dep_check=True
    )
    _engine_instrumented = True


async def flush() -> None:
    """Send what is still buffered (at shutdown), off the event loop."""
    if _provider is not None:
        await asyncio.to_thread(_provider.force_flush, 5000)
