"""Settling a page: after the first response, wait until the page has loaded, its
network is quiet (lists filled by ``fetch``) and it is no longer a challenge page;
then report the final document's status and headers, the challenges met on the way
and the context's cookies (for the hand-off to plain HTTP).

The browser passes a challenge only the way a visitor's browser does: it runs the
page and follows where the page's own script leads; challenge code is never
reimplemented here.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crawlers.challenges import CHALLENGE_STATUS, Challenge, detect

if TYPE_CHECKING:
    import scrapy
    from playwright.async_api import Page
    from playwright.async_api import Request as PlaywrightRequest
    from playwright.async_api import Response as PlaywrightResponse

__all__ = [
    "BrowserPageTimeout",
    "ChallengeNotPassed",
    "PageWatch",
    "is_closed_error",
    "page_watch",
    "settle",
    "watch_page",
]

QUIET_SECONDS = 0.05  # no request in flight for this long: the page is settled
MAX_QUIET_WAIT = 3.0  # a page that never goes quiet (polling) is read after this
MAX_CHALLENGE_PAGES = 6  # the same challenge this often in a row: the browser cannot pass it
STALL_SECONDS = 10.0  # a challenge page that does not move on within this is stuck
LOAD_SLICE = 0.5  # seconds: how long one wait for the load event lasts


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


def page_watch(page: Page) -> PageWatch:
    watch = _WATCHES.get(page)
    if watch is None:
        watch = _WATCHES[page] = PageWatch(page)
        watch.attach()
    return watch


async def watch_page(page: Page, request: scrapy.Request) -> None:
    """playwright_page_init_callback: watch the page from before its navigation (a page
    is used again for later requests: what it saw before is forgotten)."""
    watch = page_watch(page)
    watch.documents.clear()
    watch.last_response = None
    watch.inflight = 0
    watch.frozen = False
    request.meta["bulletins_page"] = page


def is_closed_error(exc: BaseException) -> bool:
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

    watch = page_watch(page)
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
            if is_closed_error(exc):
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
            if is_closed_error(exc):
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
    page_watch(page).frozen = True

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
