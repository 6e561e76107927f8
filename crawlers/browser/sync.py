"""A browser for synchronous callers (`bulletins sources check`): one Chromium on an
event loop of its own thread, started on first use, closed by its owner.

`CheckBrowser.fetch` is a `crawlers.check.BrowserFetch`; the caller passes it in
(`check_sources(..., browser=...)`), nothing is installed behind its back.
``request.meta["bulletins_browser"]`` tells the caller what the browser met:
``challenges`` (labels), ``passed``, ``why`` (when not) and the context's ``cookies``.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any

from crawlers.browser.launch import BrowserOptions, chromium_missing, launch_options
from crawlers.browser.settle import ChallengeNotPassed, page_watch, settle
from crawlers.browser.wiring import BLOCKED_RESOURCES, context_kwargs
from crawlers.responses import fetched_headers, to_response

if TYPE_CHECKING:
    import scrapy
    from playwright.async_api import Browser, BrowserContext
    from playwright.async_api import Request as PlaywrightRequest
    from scrapy.http import Response

    from crawlers.sources.schema import SourceConfig

__all__ = ["CheckBrowser", "check_browser"]


def check_browser(
    options: BrowserOptions | None = None, user_agent: str | None = None
) -> CheckBrowser | None:
    """A browser for the checks where the configured Chromium can be launched, else None."""
    options = options or BrowserOptions.from_settings({})
    if chromium_missing(options.executable):
        return None
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return None
    return CheckBrowser(options, user_agent)


class CheckBrowser:
    """One browser on a thread of its own, for synchronous callers (`sources check`)."""

    def __init__(
        self, options: BrowserOptions | None = None, user_agent: str | None = None
    ) -> None:
        self.options = options or BrowserOptions.from_settings({})
        self.user_agent = user_agent
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._playwright: Any = None
        self._browser: Browser | None = None
        self._context: BrowserContext | None = None
        self._lock: asyncio.Lock | None = None
        self._pages: asyncio.Semaphore | None = None

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._start_lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="check-browser", daemon=True
                )
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop

    def fetch(self, source: SourceConfig, request: scrapy.Request, seconds: float) -> Response:
        loop = self._ensure_loop()
        # leaves the caller time to report, within its own deadline
        budget = max(1.0, min(seconds * 0.8, self.options.timeout))
        future = asyncio.run_coroutine_threadsafe(self._render(source, request, budget), loop)
        try:
            return future.result(timeout=budget + 2)
        except TimeoutError:
            future.cancel()
            raise

    async def _browser_now(self) -> Browser:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._browser is None or not self._browser.is_connected():
                from playwright.async_api import async_playwright

                if self._playwright is None:
                    self._playwright = await async_playwright().start()
                self._browser = await self._playwright.chromium.launch(
                    **launch_options(self.options)
                )
                self._context = None
            return self._browser

    async def _context_now(self, user_agent: str) -> BrowserContext:
        browser = await self._browser_now()
        assert self._lock is not None
        async with self._lock:
            if self._context is None:  # one context: a single-process browser has no more
                context = await browser.new_context(**context_kwargs(user_agent))
                context.set_default_navigation_timeout(self.options.timeout * 1000)
                self._context = context
            return self._context

    async def _render(
        self, source: SourceConfig, request: scrapy.Request, budget: float
    ) -> Response:
        from crawlers import settings as crawl_settings

        if self._pages is None:
            self._pages = asyncio.Semaphore(self.options.max_pages)
        user_agent = self.user_agent or crawl_settings.USER_AGENT
        async with self._pages:
            context = await self._context_now(user_agent)
            page = await context.new_page()
            try:
                watch = page_watch(page)
                await page.route("**", _check_route(request))
                await page.goto(request.url, wait_until="commit", timeout=budget * 1000)
                info: dict[str, Any] = {"challenges": [], "cookies": [], "passed": True}
                try:
                    result = await settle(page, budget)
                except ChallengeNotPassed as exc:
                    status, headers, url = watch.final()
                    info.update(challenges=[exc.challenge.label], passed=False, why=exc.why)
                    request.meta["bulletins_browser"] = info
                    body = exc.html.encode("utf-8")
                    headers = {**headers, "content-type": "text/html; charset=utf-8"}
                    return to_response(request, url, status, fetched_headers(headers.items()), body)
                info.update(challenges=result["challenges"], cookies=result["cookies"])
                request.meta["bulletins_browser"] = info
                headers = dict(result["headers"])
                if result["raw"] is not None:
                    body = result["raw"]
                else:
                    body = (await page.content()).encode("utf-8")
                    headers["content-type"] = "text/html; charset=utf-8"
                return to_response(
                    request, page.url, result["status"], fetched_headers(headers.items()), body
                )
            finally:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(page.close(), 5)

    def close(self) -> None:
        loop = self._loop
        if loop is None:
            return
        self._loop = None

        async def shutdown() -> None:
            if self._browser is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self._browser.close(), 5)
            if self._playwright is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self._playwright.stop(), 5)

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(shutdown(), loop).result(timeout=15)
        loop.call_soon_threadsafe(loop.stop)

    def __enter__(self) -> CheckBrowser:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _check_route(request: scrapy.Request) -> Any:
    state = {"first": True}

    async def route(route: Any, pw_request: PlaywrightRequest) -> None:
        if pw_request.resource_type in BLOCKED_RESOURCES:
            await route.abort()
            return
        overrides: dict[str, Any] = {}
        if state["first"] and pw_request.is_navigation_request():
            state["first"] = False
            if request.method.upper() != "GET":
                overrides["method"] = request.method
                if request.body:
                    overrides["post_data"] = request.body
                content_type = request.headers.get("Content-Type")
                if content_type:
                    headers = await pw_request.all_headers()
                    headers["content-type"] = content_type.decode("latin-1")
                    overrides["headers"] = headers
        await route.continue_(**overrides)

    return route
