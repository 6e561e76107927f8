"""How a crawl routes through the browser: the Scrapy settings that install it for one
crawler, and the meta a request carries to be rendered (both for scrapy-playwright)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawlers.browser.launch import BrowserOptions, launch_options

if TYPE_CHECKING:
    from playwright.async_api import Request as PlaywrightRequest

__all__ = [
    "BLOCKED_RESOURCES",
    "abort_request",
    "context_kwargs",
    "request_meta",
    "scrapy_settings",
]

BLOCKED_RESOURCES = frozenset({"image", "font", "media"})
CONTEXT_NAME = "bulletins"


def scrapy_settings(options: BrowserOptions) -> dict[str, Any]:
    """The settings that install the browser for one crawler (only for sources that may need it)."""
    handler = "crawlers.browser.handler.BrowserDownloadHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_BROWSER_PROVIDER": "crawlers.browser.shared.SharedBrowserProvider",
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch_options(options),
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": options.max_pages,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": options.timeout * 1000,
        "PLAYWRIGHT_ABORT_REQUEST": "crawlers.browser.wiring.abort_request",
        # The browser sends its own headers (and its own cookies): a challenge's reload
        # must carry the cookie its script just set, not the Scrapy request's.
        "PLAYWRIGHT_PROCESS_REQUEST_HEADERS": None,
        "PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER": True,
        "BULLETINS_BROWSER": options.as_setting(),
    }


def abort_request(request: PlaywrightRequest) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: images, fonts and media are never fetched."""
    return request.resource_type in BLOCKED_RESOURCES


def context_kwargs(user_agent: str) -> dict[str, Any]:
    # The browser presents the crawl's User-Agent, so cookies it earns are valid for
    # plain requests too (challenge cookies are often bound to the User-Agent).
    return {"locale": "zh-CN", "user_agent": user_agent, "service_workers": "block"}


def request_meta(user_agent: str, timeout: float) -> dict[str, Any]:
    """What a Scrapy request carries to go through the browser."""
    from scrapy_playwright.page import PageMethod

    from crawlers.browser.settle import settle, watch_page

    return {
        "playwright": True,
        "playwright_context": CONTEXT_NAME,
        "playwright_context_kwargs": context_kwargs(user_agent),
        "playwright_page_goto_kwargs": {"wait_until": "commit"},
        "playwright_page_init_callback": watch_page,
        "playwright_page_methods": {"settle": PageMethod(settle, timeout)},
    }
