"""The browser: Chromium through Playwright (scrapy-playwright), for pages that need JavaScript.

A source's requests go through the browser when it says ``render: always``, or,
with ``render: auto``, once a site answered with a JavaScript challenge (see
`crawlers.renderauto` and `crawlers.middlewares.BrowserRenderMiddleware`).

- `launch`: which Chromium, with which flags and limits (`BrowserOptions`);
- `wiring`: the Scrapy settings that install the browser for a crawler, and the meta
  that sends a request through it;
- `handler`: the download handler (page limit, time limit, crashes and hangs);
- `shared`: one browser per crawl process, lent to every crawler of the run;
- `settle`: waiting for a page to load, go quiet and get past its challenge;
- `cookies`: the browser's cookies for Scrapy's jar (the hand-off to plain HTTP);
- `processes`: the Chromium processes under a process (memory, killing);
- `sync`: the browser of ``bulletins sources check`` (synchronous callers).

This package imports neither Playwright nor scrapy-playwright until a crawler or a
check needs the browser (`handler`, `shared` and `sync` load them).
"""

from crawlers.browser.cookies import jar_cookie
from crawlers.browser.launch import (
    BrowserOptions,
    chromium_missing,
    launch_args,
    launch_options,
    resolve_executable,
)
from crawlers.browser.processes import chromium_processes, chromium_rss, kill_chromium
from crawlers.browser.wiring import request_meta, scrapy_settings

__all__ = [
    "BrowserOptions",
    "chromium_missing",
    "chromium_processes",
    "chromium_rss",
    "jar_cookie",
    "kill_chromium",
    "launch_args",
    "launch_options",
    "request_meta",
    "resolve_executable",
    "scrapy_settings",
]
