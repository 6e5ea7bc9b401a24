"""Swagger UI and ReDoc in a real headless Chromium, with no network beyond the gateway."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httpx
import pytest

from .realsystem import RealSystem

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[object]:
    """A headless Debian Chromium driven by playwright (skips only if none is installed)."""
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium found (apt-get install -y chromium, or set CHROMIUM)")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield instance
        await instance.close()


async def _page(browser: object, outside: list[str]) -> object:
    """A page whose requests beyond the local gateway, and CSP refusals, are recorded."""
    from playwright.async_api import Browser, ConsoleMessage, Route

    assert isinstance(browser, Browser)
    context = await browser.new_context()

    async def guard(route: Route) -> None:
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith("data:") or host in ("127.0.0.1", "localhost"):
            await route.continue_()
        else:
            outside.append(route.request.url)
            await route.abort()

    def refused(message: ConsoleMessage) -> None:
        # Chromium reports what the portal's Content-Security-Policy blocked on the console.
        if "Content Security Policy" in message.text:
            outside.append(f"CSP: {message.text}")

    await context.route("**/*", guard)
    page = await context.new_page()
    page.on("console", refused)
    return page


async def test_swagger_ui_at_another_host_name_authorizes_and_tries_it_out(
    browser: object, real_system: RealSystem
) -> None:
    from playwright.async_api import Page, Request, Response
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    # The gateway is configured as http://localhost:PORT; the page is opened at 127.0.0.1.
    origin = real_system.url
    assert urlsplit(origin).hostname != urlsplit(real_system.public_url).hostname
    async with httpx.AsyncClient(base_url=origin) as client:
        merged = (await client.get("/openapi.json")).json()
    operations = sum(len(item) for item in merged["paths"].values())
    outside: list[str] = []
    page = await _page(browser, outside)
    assert isinstance(page, Page)
    authorized_calls: list[str] = []
    called_urls: list[str] = []

    def watch(request: Request) -> None:
        path = urlsplit(request.url).path
        if path in ("/auth/token", "/auth/me"):
            called_urls.append(request.url)
        if path == "/auth/me":
            authorized_calls.append(request.headers.get("authorization", ""))

    page.on("request", watch)
    token_answers: list[str] = []

    async def on_response(response: Response) -> None:
        if urlsplit(response.url).path == "/auth/token":
            body = (await response.body()).decode(errors="replace")
            token_answers.append(f"{response.status} {body[:300]}")

    page.on("response", on_response)
    await page.goto(f"{origin}/docs")
    await page.wait_for_selector(".opblock", timeout=20_000)
    assert await page.locator(".opblock").count() == operations

    await page.locator("button.authorize").first.click()
    await page.fill("#oauth_username", real_system.admin_email)
    await page.fill("#oauth_password", real_system.admin_password)
    await page.locator(".auth-btn-wrapper button.authorize").first.click()
    logout = page.locator(".auth-btn-wrapper button", has_text="Logout")
    try:
        await logout.wait_for(timeout=10_000)
    except PlaywrightTimeout:
        errors = await page.locator(".auth-container .errors").all_inner_texts()
        pytest.fail(f"Authorize failed; token answers {token_answers}; shown {errors}")
    await page.locator(".auth-btn-wrapper button", has_text="Close").click()

    me = page.locator(".opblock-get").filter(has=page.locator('[data-path="/auth/me"]'))
    await me.locator(".opblock-summary-control").click()
    await me.locator("button.execute").click()
    status = me.locator(".live-responses-table tbody .response-col_status").first
    await status.wait_for(timeout=10_000)
    assert (await status.inner_text()).strip() == "200"
    assert real_system.admin_email in await me.locator(".live-responses-table").inner_text()
    assert authorized_calls
    assert authorized_calls[-1].startswith("Bearer ")
    # Sign-in and Try it out went to the page's own origin, not to the configured public URL.
    assert called_urls
    assert all(url.startswith(f"{origin}/") for url in called_urls), called_urls
    assert outside == []


async def test_redoc_renders_the_merged_document_offline(
    browser: object, real_system: RealSystem
) -> None:
    from playwright.async_api import Page

    outside: list[str] = []
    page = await _page(browser, outside)
    assert isinstance(page, Page)
    async with httpx.AsyncClient(base_url=real_system.url) as client:
        merged = (await client.get("/openapi.json")).json()
    operation_ids = [op["operationId"] for item in merged["paths"].values() for op in item.values()]
    await page.goto(f"{real_system.url}/redoc")
    await page.locator("h1", has_text=merged["info"]["title"]).wait_for(timeout=20_000)
    sections = page.locator('[data-section-id*="operation/"]')
    await sections.first.wait_for(timeout=20_000)
    rendered = await sections.evaluate_all("els => els.map(e => e.dataset.sectionId)")
    assert {r.rsplit("/", 1)[-1] for r in rendered} == set(operation_ids)
    assert outside == []
