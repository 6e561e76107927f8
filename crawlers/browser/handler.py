"""The download handler of crawlers that may need the browser: scrapy-playwright's,
with a process-wide page limit, a hard time limit per page, pages kept open for
later requests, and the browser's crashes and hangs handled."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from typing import TYPE_CHECKING, Any

from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from crawlers.browser.launch import BrowserOptions
from crawlers.browser.settle import BrowserPageTimeout, is_closed_error
from crawlers.browser.shared import SHARED

if TYPE_CHECKING:
    import scrapy
    from playwright.async_api import Page
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["PAGE_USES", "BrowserDownloadHandler"]

PAGE_USES = 10  # a page serves this many requests, then is closed (what it keeps grows)


class BrowserDownloadHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's handler, with a process-wide page limit, a hard time limit per
    page, and the browser's failures handled:

    - the browser crashed or was killed: the page is tried again (twice at most) in a
      browser started anew;
    - a page stopped the browser (an endless script stops the single-process browser's
      renderer, and with it every page): the browser is restarted, and each page that
      timed out is tried once more *alone*, so a page that hangs again fails by itself
      and the pages it held up go on.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.options = BrowserOptions.from_settings(crawler.settings.getdict("BULLETINS_BROWSER"))
        # Open pages waiting for their next request: a page navigated again keeps its
        # renderer, where a new page would start (and for a while keep) another one.
        self.idle: list[Page] = []
        self.uses: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
        # A failed page is the spider's to report (once, with its URL), not a traceback.
        logging.getLogger("scrapy-playwright").setLevel(logging.ERROR)

    async def download_request(self, request: scrapy.Request) -> Response:
        if not request.meta.get("playwright"):
            return await super().download_request(request)
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        self.stats.inc_value("bulletins/browser_pages")
        slots = SHARED.page_slots(self.options.max_pages)
        crashed = 0
        alone = False
        while True:
            async with slots.hold(exclusive=alone):
                try:
                    return await self._on_a_page(request)
                except (TimeoutError, BrowserPageTimeout, PlaywrightTimeout) as exc:
                    # (a navigation that never even started counts as hung: the page
                    # may be waiting on a renderer that another page stopped)
                    request.meta.pop("bulletins_page", None)
                    self.stats.inc_value("bulletins/browser_timeouts")
                    hung = not isinstance(exc, BrowserPageTimeout) or exc.hung
                    if hung:
                        await SHARED.restart("a page stopped answering (an endless script?)")
                    if alone or not hung:
                        if isinstance(exc, BrowserPageTimeout | PlaywrightTimeout):
                            raise
                        raise BrowserPageTimeout(
                            f"the browser did not finish the page within "
                            f"{self.options.page_limit:g} s"
                        ) from None
                    alone = True  # again, with no other page beside it
                except PlaywrightError as exc:
                    if not is_closed_error(exc) or crashed == 2:
                        raise
                    crashed += 1
                    request.meta.pop("bulletins_page", None)
                    self.stats.inc_value("bulletins/browser_retries")
            await asyncio.sleep(0.2 * (crashed + 1))

    async def _on_a_page(self, request: scrapy.Request) -> Response:
        """Download `request` on an idle page (or a new one), and keep the page for later."""
        while self.idle:
            page = self.idle.pop()
            if not page.is_closed():
                request.meta["playwright_page"] = page
                break
        request.meta["playwright_include_page"] = True
        try:
            response: Response = await asyncio.wait_for(
                super().download_request(request), self.options.page_limit
            )
        except BaseException:
            page = request.meta.pop("playwright_page", None)
            if page is not None and not page.is_closed():
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(page.close(), 5)
            raise
        page = request.meta.pop("playwright_page", None)
        if page is not None and not page.is_closed():
            uses = self.uses[page] = self.uses.get(page, 0) + 1
            if len(self.idle) < self.options.max_pages and uses < PAGE_USES:
                self.idle.append(page)
            else:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(page.close(), 5)
        return response
