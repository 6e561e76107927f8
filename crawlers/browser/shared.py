"""One browser per crawl process, shared by every crawler (and source) of the run.

The browser starts on the first page that needs it, not before: a run whose pages
all go over plain HTTP starts none. It has one context (one cookie jar, as a
visitor's browser has: a single-process Chromium has room for one only). At most
``browser.max_pages`` pages load at once in the process (`PageSlots`); a page that
stopped the browser is tried again alone. Each crawler's scrapy-playwright handler
holds a lease (`SharedBrowserProvider`); the last one to let go closes the browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from crawlers.browser.processes import kill_chromium

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext

__all__ = ["SHARED", "PageSlots", "SharedBrowser", "SharedBrowserProvider"]

logger = logging.getLogger(__name__)


class SharedBrowser:
    """The process's browser, shared by every crawler (and source) of the run."""

    def __init__(self) -> None:
        self.playwright_cm: Any = None
        self.playwright: Any = None
        self.browser: Browser | None = None
        self.users = 0
        self.launches = 0
        self.crashes = 0
        self.events: list[str] = []
        self._closing = False
        self._lock: asyncio.Lock | None = None
        self._pages: PageSlots | None = None
        self._context: BrowserContext | None = None
        self._context_lock: asyncio.Lock | None = None

    def lock(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    async def context(self, browser: Browser, kwargs: dict[str, Any]) -> BrowserContext:
        """The browser's one context (a single-process Chromium has room for one only)."""
        if self._context_lock is None:
            self._context_lock = asyncio.Lock()
        async with self._context_lock:
            context = self._context
            if context is None or context.browser is not browser or not browser.is_connected():
                context = self._context = await browser.new_context(**kwargs)
            return context

    def page_slots(self, size: int) -> PageSlots:
        if self._pages is None:
            self._pages = PageSlots(size)
        return self._pages

    async def get(self, launch: dict[str, Any]) -> Browser:
        async with self.lock():
            if self.browser is not None and self.browser.is_connected():
                return self.browser
            if self.playwright is None:
                from playwright.async_api import async_playwright

                self.playwright_cm = async_playwright()
                self.playwright = await self.playwright_cm.start()
            if self.browser is not None:
                self.events.append("the browser was started again after it went away")
            browser = await self.playwright.chromium.launch(**launch)
            self.launches += 1
            self._closing = False
            browser.on("disconnected", self._disconnected)
            self.browser = browser
            logger.info("browser started: Chromium %s", browser.version)
            return browser

    def _disconnected(self, browser: Browser) -> None:
        if not self._closing and browser is self.browser:
            self.crashes += 1
            self.events.append("the browser crashed or was killed")
            logger.warning("the browser went away; it is started again for the next page")

    async def restart(self, why: str) -> None:
        """Close the browser (kill it if it does not close); the next page starts another."""
        async with self.lock():
            browser, self.browser = self.browser, None
            if browser is None or not browser.is_connected():
                return
            self.events.append(f"the browser was restarted: {why}")
            self._closing = True
            try:
                await asyncio.wait_for(browser.close(), 5)
            except Exception:
                kill_chromium(os.getpid())
            finally:
                self._closing = False

    async def release(self) -> None:
        self.users = max(0, self.users - 1)
        if self.users:
            return
        browser, self.browser = self.browser, None
        if browser is not None:
            self._closing = True
            try:
                await asyncio.wait_for(browser.close(), 10)
            except Exception:
                kill_chromium(os.getpid())
        if self.playwright is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.playwright.stop(), 10)
        self.playwright = self.playwright_cm = None
        self._lock = None
        self._pages = None
        self._context = None
        self._context_lock = None


class PageSlots:
    """At most `size` pages at once in the process; or one page alone (`exclusive`)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.used = 0
        self.alone = False
        self.waiting_alone = 0
        self.changed = asyncio.Condition()

    @contextlib.asynccontextmanager
    async def hold(self, *, exclusive: bool = False) -> AsyncIterator[None]:
        async with self.changed:
            if exclusive:
                self.waiting_alone += 1
                try:
                    await self.changed.wait_for(lambda: self.used == 0)
                finally:
                    self.waiting_alone -= 1
                self.alone = True
            else:
                await self.changed.wait_for(
                    lambda: not self.alone and not self.waiting_alone and self.used < self.size
                )
            self.used += 1
        try:
            yield
        finally:
            async with self.changed:
                self.used -= 1
                if exclusive:
                    self.alone = False
                self.changed.notify_all()


SHARED = SharedBrowser()


class _Lease:
    """A shared browser or context as one crawler's handler sees it: closing it only
    lets go (the last user closes the browser, see `SharedBrowser.release`)."""

    def __init__(self, target: Any) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)

    async def close(self, *args: Any, **kwargs: Any) -> None:
        return None


class _BrowserLease(_Lease):
    async def new_context(self, **kwargs: Any) -> Any:
        return _Lease(await SHARED.context(self._target, kwargs))


class SharedBrowserProvider:
    """PLAYWRIGHT_BROWSER_PROVIDER: lends every crawler of the process the same browser,
    started on the first page that needs it."""

    def __init__(self, config: Any) -> None:
        self.config = config
        self._started = False

    async def start(self) -> None:
        if not self._started:
            self._started = True
            SHARED.users += 1

    async def launch_browser(self) -> Any:
        return _BrowserLease(await SHARED.get(dict(self.config.launch_options)))

    async def launch_persistent_context(self, context_kwargs: dict[str, Any]) -> Any:
        from scrapy.exceptions import NotSupported

        raise NotSupported("persistent browser contexts are not used by Bulletin Watch")

    async def close(self) -> None:
        if self._started:
            self._started = False
            await SHARED.release()
