"""Gateway app factory (`uvicorn --factory emporium.gateway.main:create_app`)."""

from __future__ import annotations

from pathlib import Path

from starlette.middleware.cors import CORSMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from emporium.gateway.docs.pages import PORTAL_POLICY
from emporium.gateway.docs.router import router as docs_router
from emporium.gateway.edge import EdgeApp
from emporium.gateway.lifespan import gateway_lifespan
from emporium.gateway.readiness import upstream_checks
from emporium.gateway.runtime import GatewayRuntime
from emporium.gateway.settings import GatewaySettings, get_settings
from emporium.gateway.upstream import UpstreamRuntime
from emporium.servicekit.app import create_app as create_service_app
from emporium.servicekit.jwks import KeyProvider
from emporium.servicekit.security_headers import SecurityHeadersMiddleware

STATIC_DIR = Path(__file__).parent / "static"


def create_app(
    settings: GatewaySettings | None = None, *, key_provider: KeyProvider | None = None
) -> ASGIApp:
    """Build the gateway: the edge proxy layer in front of a FastAPI app for its own pages."""
    settings = settings or get_settings()
    upstreams = {u.name: UpstreamRuntime(u, settings) for u in settings.upstreams}
    app = create_service_app(
        settings,
        routers=[docs_router],
        lifespan=gateway_lifespan,
        readiness_checks=upstream_checks(upstreams, settings.readiness_timeout_seconds),
        key_provider=key_provider,
        description="The edge of Emporium: one origin for every service, and their docs.",
        content_security_policy=PORTAL_POLICY,
        docs=False,  # the gateway serves the merged documents in their place
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.state.runtime = runtime = GatewayRuntime.build(
        settings, upstreams, app.state.metrics, app.state.readiness
    )
    # Answers the edge makes itself (401, 429, 502…) get the API headers too; the gateway's
    # pages and proxied answers already carry their own, which this keeps.
    edge: ASGIApp = SecurityHeadersMiddleware(EdgeApp(app, runtime))
    if settings.cors_origins:
        edge = CORSMiddleware(
            edge,
            allow_origins=list(settings.cors_origins),
            allow_methods=["*"],
            allow_headers=["*"],
            allow_credentials=settings.cors_allow_credentials,
            expose_headers=[
                "X-Request-ID",
                "Retry-After",
                "RateLimit-Limit",
                "RateLimit-Remaining",
                "RateLimit-Reset",
                "RateLimit-Policy",
                "Location",
                "ETag",
            ],
            max_age=settings.cors_max_age_seconds,
        )
    return edge
