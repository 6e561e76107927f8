"""The browser: Chromium through Playwright (scrapy-playwright), for pages that need JavaScript.

A source's requests go through the browser when it says ``render: always``, or,
with ``render: auto``, once a site answered with a JavaScript challenge (see
`crawlers.middlewares.BrowserRenderMiddleware`). The browser passes a challenge
only the way a visitor's browser does: it runs the page and follows where the
page's own script leads; challenge code is never reimplemented here.

- **Which Chromium**: ``$BULLETINS_CHROMIUM``, else the config's
  ``browser.executable``, else Debian's ``/usr/bin/chromium`` when present, else
  Playwright's own download. Headless, without sandbox, GPU or background traffic,
  in a single process (see `LAUNCH_ARGS`).
- **One browser per crawl process**, shared by the sources of the run
  (`SharedBrowserProvider`), with one context (one cookie jar, as a visitor's
  browser has). It starts on the first page that needs it, not before: a run
  whose pages all go over plain HTTP starts none.
- **Bounded**: at most ``browser.max_pages`` pages loading at once in the process
  (a page serves up to `PAGE_USES` requests before it is closed); images, fonts
  and media are never downloaded; navigation and settling have a time limit
  (``browser.timeout``), and a page has twice that plus 5 s in all.
- **Crashes and hangs**: a browser that dies is started again for the next page,
  and the pages that failed with it are tried again (twice at most). A page that
  stops the browser (an endless script) gets it restarted and is tried once more
  alone; if it hangs again it fails by itself, and the crawl goes on.
- **Settling** (`settle`): after the first response, wait until the page has
  loaded, its network is quiet (lists filled by ``fetch``) and it is no longer a
  challenge page; report the final document's status and headers, the challenges
  met on the way and the context's cookies (for the hand-off to plain HTTP).

`check_fetch` is the same browser for ``bulletins sources check`` (synchronous,
from worker threads; one browser on a thread of its own).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import glob
import logging
import os
import re
import threading
import weakref
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from http.cookiejar import Cookie
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psutil
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from crawlers.challenges import CHALLENGE_STATUS, Challenge, detect
from crawlers.settings_model import ENV_EXECUTABLE, BrowserSettings, resolve_executable

if TYPE_CHECKING:
    import scrapy
    from playwright.async_api import Browser, BrowserContext, Page
    from playwright.async_api import Request as PlaywrightRequest
    from playwright.async_api import Response as PlaywrightResponse
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from crawlers.sources.schema import SourceConfig

logger = logging.getLogger(__name__)

LAUNCH_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    # Memory: one process for everything (as low-memory headless setups run Chromium,
    # e.g. @sparticuz/chromium) with low-end-device caches: about 450 MB (summed RSS)
    # with 4 pages open, where separate renderer, GPU, network and zygote processes
    # take 1 GB and more. The price: one browser context only (the sources of a run
    # share it, as a visitor's browser shares its cookie jar between tabs), and a page
    # that crashes or hangs takes the browser with it; BrowserDownloadHandler then
    # restarts it and tries again.
    "--single-process",
    "--no-zygote",
    "--in-process-gpu",
    "--enable-low-end-device-mode",
)
#: Features switched off on top of Playwright's own list (Chromium reads only the last
#: --disable-features): a spare renderer kept warm, and the omnibox pop-up's WebUI
#: renderers that a headless crawl never shows.
DISABLED_FEATURES = (
    "SpareRendererForSitePerProcess",
    "WebUIOmniboxPopup",
    "WebUIOmniboxAimPopup",
    "AudioServiceOutOfProcess",
)
ENABLED_FEATURES = ("NetworkServiceInProcess2",)
# Playwright 1.65's lists, used where its driver cannot be read.
_PLAYWRIGHT_DISABLED = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
)
_PLAYWRIGHT_ENABLED = ("CDPScreenshotNewSurface", "SkipListAccountsWithoutGaiaCookies")
BLOCKED_RESOURCES = frozenset({"image", "font", "media"})
CONTEXT_NAME = "bulletins"
QUIET_SECONDS = 0.05  # no request in flight for this long: the page is settled
MAX_QUIET_WAIT = 3.0  # a page that never goes quiet (polling) is read after this
MAX_CHALLENGE_PAGES = 6  # the same challenge this often in a row: the browser cannot pass it
STALL_SECONDS = 10.0  # a challenge page that does not move on within this is stuck
LOAD_SLICE = 0.5  # seconds: how long one wait for the load event lasts
PAGE_USES = 10  # a page serves this many requests, then is closed (what it keeps grows)
# The browser's options are the config's `browser:` settings (one model, in crawlers).
BrowserOptions = BrowserSettings


def _playwright_own_chromium() -> str | None:
    roots = [os.environ.get("PLAYWRIGHT_BROWSERS_PATH"), str(Path.home() / ".cache/ms-playwright")]
    for root in filter(None, roots):
        for pattern in ("chromium-*/chrome-linux*/chrome", "chromium_headless_shell-*/*/*shell"):
            found = sorted(glob.glob(os.path.join(root, pattern)))
            if found:
                return found[-1]
    return None


def chromium_missing(configured: str | None = None) -> str | None:
    """Why no Chromium can be launched here, or None when one can."""
    executable = resolve_executable(configured)
    if executable is not None:
        if os.access(executable, os.X_OK):
            return None
        return f"the configured Chromium {executable!r} is not an executable file"
    if _playwright_own_chromium():
        return None
    return (
        "no Chromium: install Debian's `chromium` package (or run `playwright install "
        f"chromium`), or point ${ENV_EXECUTABLE} at a Chromium binary"
    )


@functools.cache
def _playwright_features() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The features Playwright's driver switches off and on (it passes them as one
    --disable-features and one --enable-features, which ours would replace)."""
    try:
        import playwright

        bundle = Path(playwright.__file__).parent / "driver/package/lib/coreBundle.js"
        text = bundle.read_text(encoding="utf-8")
        off = re.search(r"disabledFeatures = \[(.*?)\]\.filter\(Boolean\)", text, re.S)
        on = re.search(r"enabledFeatures = \(\) => \[(.*?)\]\.filter\(Boolean\)", text, re.S)
        if off and on:
            names = re.compile(r'"([A-Za-z0-9]+)"')
            return tuple(names.findall(off.group(1))), tuple(names.findall(on.group(1)))
    except (OSError, ImportError):
        pass
    return _PLAYWRIGHT_DISABLED, _PLAYWRIGHT_ENABLED


def launch_args() -> list[str]:
    off, on = _playwright_features()
    return [
        *LAUNCH_ARGS,
        "--disable-features=" + ",".join(dict.fromkeys((*off, *DISABLED_FEATURES))),
        "--enable-features=" + ",".join(dict.fromkeys((*on, *ENABLED_FEATURES))),
    ]


def launch_options(options: BrowserOptions) -> dict[str, Any]:
    launch: dict[str, Any] = {
        "headless": True,
        "args": launch_args(),
        "timeout": options.timeout * 1000,
        "handle_sigint": False,
        "handle_sigterm": False,
    }
    if options.executable:
        launch["executable_path"] = options.executable
    return launch


def needs_handler(source: SourceConfig) -> bool:
    """Whether a source's crawl may need the browser (so its crawler gets the handler)."""
    return source.render in ("auto", "always")


def scrapy_settings(options: BrowserOptions) -> dict[str, Any]:
    """The settings that install the browser for one crawler (only for sources that may need it)."""
    handler = "crawlers.browser.BrowserDownloadHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_BROWSER_PROVIDER": "crawlers.browser.SharedBrowserProvider",
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch_options(options),
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": options.max_pages,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": options.timeout * 1000,
        "PLAYWRIGHT_ABORT_REQUEST": "crawlers.browser.abort_request",
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

    return {
        "playwright": True,
        "playwright_context": CONTEXT_NAME,
        "playwright_context_kwargs": context_kwargs(user_agent),
        "playwright_page_goto_kwargs": {"wait_until": "commit"},
        "playwright_page_init_callback": watch_page,
        "playwright_page_methods": {"settle": PageMethod(settle, timeout)},
    }


# --- settling a page -------------------------------------------------------------


class ChallengeNotPassed(Exception):
    """The browser ran the challenge page but did not get past it."""

    def __init__(self, challenge: Challenge, why: str, html: str = "") -> None:
        self.challenge = challenge
        self.why = why
        self.html = html
        super().__init__(
            f"the site answered with {challenge.label}; the browser did not pass it: {why}"
        )


class BrowserPageTimeout(Exception):
    """A page did not load, or did not settle, in time; `hung`: its renderer stopped
    answering too (an endless script), which stops every page sharing it."""

    def __init__(self, message: str, *, hung: bool = True) -> None:
        super().__init__(message)
        self.hung = hung


@dataclass
class PageWatch:
    """What happens on one page: its main-frame documents and its requests in flight."""

    page: Page
    documents: list[tuple[int, dict[str, str], str]] = field(default_factory=list)
    last_response: PlaywrightResponse | None = None
    inflight: int = 0
    generation: int = 0
    frozen: bool = False  # held still: later navigations are answered 204 and ignored
    moved: asyncio.Event = field(default_factory=asyncio.Event)

    def attach(self) -> None:
        self.page.on("response", self._on_response)
        self.page.on("request", self._on_request)
        self.page.on("requestfinished", self._on_done)
        self.page.on("requestfailed", self._on_done)

    def _on_response(self, response: PlaywrightResponse) -> None:
        if self.frozen:
            return
        try:
            if response.request.resource_type != "document":
                return
            if response.frame != self.page.main_frame:
                return
        except Exception:  # a response of a worker or a closed frame
            return
        self.documents.append((response.status, dict(response.headers), response.url))
        self.last_response = response
        self.generation += 1
        self.moved.set()

    def _on_request(self, request: PlaywrightRequest) -> None:
        self.inflight += 1

    def _on_done(self, request: PlaywrightRequest) -> None:
        self.inflight = max(0, self.inflight - 1)

    def final(self) -> tuple[int, dict[str, str], str]:
        return self.documents[-1] if self.documents else (200, {}, self.page.url)


_WATCHES: weakref.WeakKeyDictionary[Any, PageWatch] = weakref.WeakKeyDictionary()


def _watch(page: Page) -> PageWatch:
    watch = _WATCHES.get(page)
    if watch is None:
        watch = _WATCHES[page] = PageWatch(page)
        watch.attach()
    return watch


async def watch_page(page: Page, request: scrapy.Request) -> None:
    """playwright_page_init_callback: watch the page from before its navigation (a page
    is used again for later requests: what it saw before is forgotten)."""
    watch = _watch(page)
    watch.documents.clear()
    watch.last_response = None
    watch.inflight = 0
    watch.frozen = False
    request.meta["bulletins_page"] = page


def _closed(exc: BaseException) -> bool:
    text = str(exc)
    return any(
        part in text
        for part in (
            "has been closed",
            "Target closed",
            "Browser closed",
            "crashed",
            "Target crashed",
        )
    )


async def _quiet(watch: PageWatch, until: float) -> None:
    loop = asyncio.get_running_loop()
    quiet_since: float | None = None
    while loop.time() < until:
        if watch.inflight == 0:
            now = loop.time()
            quiet_since = quiet_since or now
            if now - quiet_since >= QUIET_SECONDS:
                return
        else:
            quiet_since = None
        await asyncio.sleep(0.01)


async def settle(page: Page, timeout: float) -> dict[str, Any]:
    """Wait until `page` has loaded, gone quiet and is no challenge; describe the result.

    Raises `ChallengeNotPassed` if the page stays a challenge, and
    `BrowserPageTimeout` if it does not load in `timeout` seconds.
    """
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    watch = _watch(page)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    met: list[str] = []
    counted: set[int] = set()
    last: Challenge | None = None
    html = ""
    while True:
        left = deadline - loop.time()
        if left <= 0:
            if last is not None:
                raise ChallengeNotPassed(last, f"still a challenge after {timeout:g} s", html)
            raise BrowserPageTimeout(f"the page did not settle within {timeout:g} s")
        try:
            await page.wait_for_load_state("load", timeout=min(left, LOAD_SLICE) * 1000)
        except PlaywrightTimeout:
            # Not loaded yet: a hung page, or a challenge that reloads before it loads.
            looping = [d for d in watch.documents if d[0] in CHALLENGE_STATUS]
            if len(looping) >= MAX_CHALLENGE_PAGES:
                status = watch.final()[0]
                html = await _hold_still(page)
                found = detect(status, html) or Challenge("script", status, "")
                raise ChallengeNotPassed(
                    found, f"it came back {len(looping)} times", html
                ) from None
            if loop.time() < deadline:
                continue
            if await _responsive(page):
                raise BrowserPageTimeout(
                    f"the page did not finish loading within {timeout:g} s", hung=False
                ) from None
            raise BrowserPageTimeout(
                f"the page did not finish loading within {timeout:g} s (a hung page)"
            ) from None
        except PlaywrightError as exc:
            if _closed(exc):
                raise
            await asyncio.sleep(0.05)
            continue
        await _quiet(watch, min(deadline, loop.time() + MAX_QUIET_WAIT))
        generation = watch.generation
        try:
            html = await asyncio.wait_for(page.content(), max(0.1, deadline - loop.time()))
        except TimeoutError:
            raise BrowserPageTimeout(f"the page did not answer within {timeout:g} s") from None
        except PlaywrightError as exc:
            if _closed(exc):
                raise
            await asyncio.sleep(0.05)  # navigating: read it again once it has loaded
            continue
        status, _headers, _url = watch.final()
        challenge = detect(status, html)
        if challenge is None:
            if watch.generation != generation:
                continue
            break
        last = challenge
        if generation not in counted:
            counted.add(generation)
            met.append(challenge.label)
        if len(counted) >= MAX_CHALLENGE_PAGES:
            raise ChallengeNotPassed(challenge, f"it came back {len(counted)} times", html)
        watch.moved.clear()
        if watch.generation != generation:
            continue
        try:
            await asyncio.wait_for(watch.moved.wait(), min(STALL_SECONDS, max(0.1, left)))
        except TimeoutError:
            raise ChallengeNotPassed(
                challenge, "the challenge page did not move on", html
            ) from None
    # Challenges passed before the page was first read show in their statuses.
    for number, (code, _h, _u) in enumerate(watch.documents[:-1], start=1):
        if code in CHALLENGE_STATUS and number not in counted:
            met.append(Challenge("jiasule" if code == 521 else "rivers", code, "status").label)
    status, headers, url = watch.final()
    result: dict[str, Any] = {
        "status": status,
        "headers": headers,
        "url": url,
        "challenges": list(dict.fromkeys(met)),
        "cookies": await page.context.cookies([page.url]),
        "raw": None,
    }
    content_type = headers.get("content-type", "text/html").lower()
    if "html" not in content_type and "xml" not in content_type and watch.last_response:
        with contextlib.suppress(PlaywrightError):
            # A JSON or text document: the bytes, not the DOM the browser wraps them in.
            result["raw"] = await watch.last_response.body()
    return result


async def _responsive(page: Page) -> bool:
    """Whether the page's renderer still runs a script (an endless loop blocks it)."""
    try:
        await asyncio.wait_for(page.evaluate("1"), 1.0)
        return True
    except Exception:
        return False


async def _hold_still(page: Page) -> str:
    """Stop a page that keeps reloading itself where it is, and read it."""
    _watch(page).frozen = True

    async def no_navigation(route: Any) -> None:
        if route.request.is_navigation_request():
            await route.fulfill(status=204)  # a navigation answered 204 stays where it is
        else:
            await route.fallback()

    with contextlib.suppress(Exception):
        await page.route("**", no_navigation)
        await page.wait_for_load_state("load", timeout=2000)
    try:
        return await asyncio.wait_for(page.content(), 2)
    except Exception:
        return ""


# --- one browser per process -----------------------------------------------------


class _SharedBrowser:
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
        self._pages: _PageSlots | None = None
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

    def page_slots(self, size: int) -> _PageSlots:
        if self._pages is None:
            self._pages = _PageSlots(size)
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


class _PageSlots:
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


SHARED = _SharedBrowser()


class _Lease:
    """A shared browser or context as one crawler's handler sees it: closing it only
    lets go (the last user closes the browser, see `_SharedBrowser.release`)."""

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
                    if not _closed(exc) or crashed == 2:
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


# --- cookies: browser -> Scrapy --------------------------------------------------


def jar_cookie(cookie: Mapping[str, Any]) -> Cookie:
    """A Playwright cookie as an http.cookiejar cookie (for Scrapy's cookie jar)."""
    domain = str(cookie["domain"])
    expires = cookie.get("expires")
    session = expires is None or float(expires) <= 0
    return Cookie(
        version=0,
        name=str(cookie["name"]),
        value=str(cookie["value"]),
        port=None,
        port_specified=False,
        domain=domain,
        domain_specified=domain.startswith("."),
        domain_initial_dot=domain.startswith("."),
        path=str(cookie.get("path") or "/"),
        path_specified=True,
        secure=bool(cookie.get("secure")),
        expires=None if session else int(float(expires)),  # type: ignore[arg-type]
        discard=session,
        comment=None,
        comment_url=None,
        rest={"HttpOnly": ""} if cookie.get("httpOnly") else {},
    )


# --- processes ---------------------------------------------------------------------


def chromium_processes(root_pid: int) -> list[psutil.Process]:
    """The Chromium processes under `root_pid` (the browser and its helpers)."""
    try:
        children = psutil.Process(root_pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for child in children:
        with contextlib.suppress(psutil.Error):
            if "chrom" in child.name().lower() or "headless_shell" in child.name().lower():
                found.append(child)
    return found


def chromium_rss(root_pid: int) -> int:
    """Resident memory, in bytes, summed over the Chromium processes under `root_pid`."""
    total = 0
    for proc in chromium_processes(root_pid):
        with contextlib.suppress(psutil.Error):
            total += proc.memory_info().rss
    return total


def kill_chromium(root_pid: int) -> int:
    procs = chromium_processes(root_pid)
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    return len(procs)


# --- the browser of `sources check` ---------------------------------------------------


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
                atexit.register(self.close)
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
        from scrapy.http import Headers

        from crawlers import settings as crawl_settings
        from crawlers.check import to_response

        if self._pages is None:
            self._pages = asyncio.Semaphore(self.options.max_pages)
        user_agent = self.user_agent or crawl_settings.USER_AGENT
        async with self._pages:
            context = await self._context_now(user_agent)
            page = await context.new_page()
            try:
                watch = _watch(page)
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
                    return to_response(request, url, status, _headers(Headers, headers), body)
                info.update(challenges=result["challenges"], cookies=result["cookies"])
                request.meta["bulletins_browser"] = info
                headers = dict(result["headers"])
                if result["raw"] is not None:
                    body = result["raw"]
                else:
                    body = (await page.content()).encode("utf-8")
                    headers["content-type"] = "text/html; charset=utf-8"
                return to_response(
                    request, page.url, result["status"], _headers(Headers, headers), body
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


def _headers(cls: Any, values: Mapping[str, str]) -> Any:
    skip = {"content-encoding", "content-length", "transfer-encoding"}
    return cls({k: v for k, v in values.items() if k.lower() not in skip})


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


_CHECK: CheckBrowser | None = None
_CHECK_LOCK = threading.Lock()
_CHECK_CONFIG: tuple[BrowserOptions | None, str | None] = (None, None)


def configure_check(options: BrowserOptions | None, user_agent: str | None = None) -> None:
    """The browser options (and User-Agent) `check_fetch` uses; call before checking.

    Also makes `check_fetch` the checks' browser when the configured Chromium exists.
    """
    global _CHECK_CONFIG
    _CHECK_CONFIG = (options, user_agent)
    from crawlers import check

    executable = options.executable if options else None
    if check.browser_fetch is None and not chromium_missing(executable):
        check.browser_fetch = check_fetch


def check_fetch(source: SourceConfig, request: scrapy.Request, seconds: float) -> Response:
    """`crawlers.check.BrowserFetch` backed by a real Chromium (started on first use).

    ``request.meta["bulletins_browser"]`` tells the caller what the browser met:
    ``challenges`` (labels), ``passed``, and the context's ``cookies``.
    """
    global _CHECK
    with _CHECK_LOCK:
        if _CHECK is None:
            _CHECK = CheckBrowser(*_CHECK_CONFIG)
        browser = _CHECK
    return browser.fetch(source, request, seconds)
