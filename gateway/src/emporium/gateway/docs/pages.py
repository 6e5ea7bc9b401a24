"""HTML of the docs portal: the landing page, Swagger UI and ReDoc, all with local assets."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse

from emporium.gateway.docs.merge import ServiceDoc

STATIC = "/static"
SWAGGER_JS = f"{STATIC}/swagger-ui/swagger-ui-bundle.js"
SWAGGER_CSS = f"{STATIC}/swagger-ui/swagger-ui.css"
FAVICON = f"{STATIC}/swagger-ui/favicon-32x32.png"
REDOC_JS = f"{STATIC}/redoc/redoc.standalone.js"
OAUTH2_REDIRECT = "/docs/oauth2-redirect"

SWAGGER_INIT = f"{STATIC}/portal/swagger-init.js"

# The portal loads only its own files; Swagger UI and ReDoc style elements inline, show
# data: images, and ReDoc runs a worker from a blob.
PORTAL_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


def swagger_page(title: str) -> HTMLResponse:
    """Swagger UI over the merged document (its settings live in portal/swagger-init.js)."""
    return HTMLResponse(
        f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} - Swagger UI</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{SWAGGER_CSS}"><link rel="icon" href="{FAVICON}"></head>
<body><div id="swagger-ui"></div>
<script src="{SWAGGER_JS}"></script>
<script src="{SWAGGER_INIT}"></script>
</body></html>"""
    )


def redoc_page(title: str) -> HTMLResponse:
    """ReDoc over the merged document (no web fonts: nothing leaves the gateway)."""
    return get_redoc_html(
        openapi_url="/openapi.json",
        title=f"{title} - ReDoc",
        redoc_js_url=REDOC_JS,
        redoc_favicon_url=FAVICON,
        with_google_fonts=False,
    )


_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}
h1{margin-bottom:.2rem} p.lead{color:#57606a;margin-top:0}
table{border-collapse:collapse;width:100%;margin:1.5rem 0}
th,td{text-align:left;padding:.55rem .7rem;border-bottom:1px solid #d0d7de}
th{background:#f6f8fa} .ok{color:#1a7f37;font-weight:600} .down{color:#cf222e;font-weight:600}
a{color:#0969da} nav a{margin-right:1.2rem}
"""


def landing_page(
    title: str,
    version: str,
    docs: list[ServiceDoc],
    health: Mapping[str, str],
    *,
    token_path: str,
) -> HTMLResponse:
    """The portal's front page: one row per service."""
    rows = []
    for doc in docs:
        state = health.get(doc.name, "unknown")
        css = "ok" if state == "ok" else "down"
        label = "healthy" if state == "ok" else f"unavailable ({state})"
        tag = _first_tag(doc)
        swagger, redoc = (
            ("/docs", "/redoc") if tag is None else (f"/docs#/{tag}", f"/redoc#tag/{tag}")
        )
        links = f'<a href="{escape(swagger)}">Swagger UI</a> · <a href="{escape(redoc)}">ReDoc</a>'
        rows.append(
            f'<tr data-service="{escape(doc.name)}"><td><strong>{escape(doc.title)}</strong>'
            f"<br><code>{escape(' '.join(doc.prefixes))}</code></td>"
            f"<td>{escape(doc.version or '-')}</td>"
            f'<td class="{css}">{escape(label)}</td>'
            f'<td class="operations">{doc.operations}</td><td>{links}</td></tr>'
        )
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="{FAVICON}"><style>{_STYLE}</style></head>
<body><h1>{escape(title)}</h1>
<p class="lead">Every Emporium service behind one gateway (version {escape(version)}).</p>
<nav><a href="/docs">Swagger UI</a><a href="/redoc">ReDoc</a>
<a href="/openapi.json">OpenAPI document</a><a href="/readyz">Readiness</a></nav>
<table><thead><tr><th>Service</th><th>Version</th><th>Health</th><th>Operations</th><th>Docs</th>
</tr></thead><tbody>{"".join(rows)}</tbody></table>
<p>Use <em>Authorize</em> in Swagger UI to sign in with your email and password; the token is
requested from <code>{escape(token_path)}</code> through this gateway.</p></body></html>"""
    return HTMLResponse(body)


def _first_tag(doc: ServiceDoc) -> str | None:
    for item in ((doc.spec or {}).get("paths") or {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("tags"):
                return str(operation["tags"][0])
    return None
