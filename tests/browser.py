"""A real browser for the tests: Debian's headless Chromium, driven by Playwright.

Playwright's own browser builds are never downloaded: it launches the system's ``chromium``
(``apt-get install chromium``; .ci/run installs it). Without it the browser tests are skipped
locally and fail under CI=true, so CI cannot pass without having run them.

    from tests.browser import browser, offline_page  # noqa: F401  (browser is a fixture)

    async def test_something(browser):
        async with offline_page(browser) as page:
            await page.goto(...)
        assert not page.foreign_requests
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, Page, Route, async_playwright

CHROMIUM = os.environ.get("QIANFA_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() == "true"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
WAIT_MS = 15_000  # the bound on every wait in a page


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message + " (CI=true: the browser tests must run)", pytrace=False)
        pytest.skip(message)
    async with async_playwright() as playwright:
        # Root in a container: Chromium's sandbox needs user namespaces it may not have.
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            await launched.close()


class OfflinePage:
    """A page that can reach only this machine, as on an intranet, and remembers what it tried."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.foreign_requests: list[str] = []  # refused: the page asked for a host that is not this machine
        self.requests: list[str] = []
        self.websockets: list[str] = []
        self.console_errors: list[str] = []

    async def _route(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).hostname in LOCAL_HOSTS:
            self.requests.append(url)
            await route.continue_()
        else:
            self.foreign_requests.append(url)
            await route.abort("internetdisconnected")


@contextlib.asynccontextmanager
async def offline_page(browser: Browser) -> AsyncIterator[OfflinePage]:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = await context.new_page()
        page.set_default_timeout(WAIT_MS)
        offline = OfflinePage(page)
        await context.route("**/*", offline._route)
        page.on("websocket", lambda socket: offline.websockets.append(socket.url))
        page.on("console", lambda message: message.type == "error" and offline.console_errors.append(message.text))
        page.on("pageerror", lambda error: offline.console_errors.append(str(error)))
        yield offline
    finally:
        await context.close()
