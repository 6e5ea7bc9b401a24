"""The gateway's own pages: merged OpenAPI, landing page, Swagger UI and ReDoc."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from emporium.gateway.docs.dependencies import RegistryDep
from emporium.gateway.docs.pages import landing_page, redoc_page, swagger_page
from emporium.gateway.docs.registry import MERGED_TITLE
from emporium.servicekit.health import Readiness

router = APIRouter(include_in_schema=False)


@router.get("/openapi.json")
async def merged_openapi(registry: RegistryDep) -> Response:
    """The merged OpenAPI document of every service."""
    return Response(registry.merged_json, media_type="application/json")


@router.get("/")
async def landing(request: Request, registry: RegistryDep) -> HTMLResponse:
    """The portal's landing page with each service's live health."""
    readiness: Readiness = request.app.state.readiness  # the same checks as /readyz
    health = await readiness.results(request.app)
    settings = registry.settings
    return landing_page(
        MERGED_TITLE,
        settings.service_version,
        list(registry.docs.values()),
        health,
        token_path=settings.token_path,
    )


@router.get("/docs")
async def swagger_ui() -> HTMLResponse:
    """Swagger UI over the merged document."""
    return swagger_page(MERGED_TITLE)


@router.get("/docs/oauth2-redirect")
async def swagger_ui_redirect() -> HTMLResponse:
    """Swagger UI's OAuth2 redirect helper."""
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
async def redoc() -> HTMLResponse:
    """ReDoc over the merged document."""
    return redoc_page(MERGED_TITLE)


@router.get("/docs/")
@router.get("/redoc/")
async def without_trailing_slash(request: Request) -> RedirectResponse:
    """A relative redirect, so it stays on whatever host and scheme the page was opened with."""
    target = request.url.path.rstrip("/")
    if request.url.query:
        target += f"?{request.url.query}"
    return RedirectResponse(target, status_code=307)
