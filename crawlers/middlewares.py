"""Downloader middlewares: retries that back off instead of hammering a site, and the
browser for pages that need one (`BrowserRenderMiddleware`)."""

from __future__ import annotations

import asyncio
import random
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response, TextResponse
from scrapy.responsetypes import responsetypes
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import load_object
from scrapy.utils.response import response_status_message

from crawlers.challenges import ChallengeBlocked, response_challenge
from crawlers.renderauto import Challenged, RenderAuto
from crawlers.responses import fetched_headers
from crawlers.sources.schema import SourceConfig

DELAY_KEY = "bulletins_retry_delay"


class BackoffRetryMiddleware:
    """Scrapy's retry policy (``RETRY_TIMES``, ``RETRY_HTTP_CODES``, ``RETRY_EXCEPTIONS``,
    through Scrapy's public `get_retry_request`), with an exponential, jittered delay
    before each retry (`RetryDelayMiddleware` waits it)."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.retry_http_codes = {int(x) for x in settings.getlist("RETRY_HTTP_CODES")}
        self.exceptions = tuple(
            load_object(x) if isinstance(x, str) else x
            for x in settings.getlist("RETRY_EXCEPTIONS")
        )
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        return self.retry(request, response_status_message(response.status)) or response

    def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions):
            return None
        return self.retry(request, exception)

    def retry(self, request: Request, reason: str | Exception) -> Request | None:
        """The retry of `request` carrying its backoff delay, or None once retries ran out."""
        spider = self.crawler.spider
        assert spider is not None
        # (the request's max_retry_times / priority_adjust / give_up_log_level meta,
        # else the RETRY_* settings, as Scrapy's own RetryMiddleware)
        retry = get_retry_request(
            request,
            spider=spider,
            reason=reason,
            max_retry_times=request.meta.get("max_retry_times"),
            priority_adjust=request.meta.get("priority_adjust"),
            give_up_log_level=request.meta.get("give_up_log_level"),
        )
        if retry is not None:
            attempt = int(retry.meta.get("retry_times", 1))
            delay = min(self.cap, self.base * 2 ** (attempt - 1))
            retry.meta[DELAY_KEY] = random.uniform(delay / 2, delay)
        return retry


class RetryDelayMiddleware:
    """Waits the delay a retry carries before it goes out."""

    async def process_request(self, request: Request) -> Response | None:
        delay = request.meta.pop(DELAY_KEY, None)
        if delay:
            await asyncio.sleep(float(delay))
        return None


# --- the browser ---------------------------------------------------------------------


class BrowserRenderMiddleware:
    """Sends a source's pages through the browser where its `render` setting says so.

    - ``always``: every request of the source goes through Chromium.
    - ``auto``: plain HTTP first; a response that is a challenge (`crawlers.challenges`)
      switches its host to the browser and the request is made again there. Once the
      browser passed, its cookies for the host go into Scrapy's cookie jar and plain
      HTTP resumes; if a plain request carrying them is challenged again, the host
      stays with the browser for the rest of the crawl (`crawlers.renderauto`).
    - ``never``: a challenge fails the request with a message naming it and the fix.

    What the crawl used the browser for ends up in ``crawl_runs.used_browser``.
    """

    MAX_CHALLENGE_RETRIES = 4

    def __init__(self, crawler: Crawler) -> None:
        from crawlers.browser import BrowserOptions

        self.crawler = crawler
        settings = crawler.settings
        self.options = BrowserOptions.from_settings(settings.getdict("BULLETINS_BROWSER"))
        handlers = settings.getdict("DOWNLOAD_HANDLERS")
        self.installed = str(handlers.get("http", "")).endswith("BrowserDownloadHandler")
        self.user_agent = str(settings.get("USER_AGENT") or "")
        self.auto = RenderAuto()
        self.reasons: list[str] = []
        self.browser_pages = 0
        self.plain_pages = 0
        self.handoffs = 0
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BrowserRenderMiddleware:
        return cls(crawler)

    # --- requests --------------------------------------------------------------------

    def _source(self) -> SourceConfig | None:
        spider = getattr(self.crawler, "_spider", None) or getattr(self.crawler, "spider", None)
        return getattr(spider, "source", None)

    def _note(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)

    def process_request(self, request: Request) -> None:
        source = self._source()
        if source is None or source.render == "never" or request.meta.get("playwright"):
            return None
        if urlparse_cached(request).path == "/robots.txt":
            return None
        host = urlparse_cached(request).netloc
        if source.render == "always":
            self._note("render: always")
            self._to_browser(request)
            return None
        if self.auto.via_browser(host):
            self._to_browser(request)
        else:
            request.meta["bulletins_handoff"] = self.auto.generation(host)
        return None

    def _to_browser(self, request: Request) -> None:
        from crawlers.browser import request_meta

        if not self.installed:
            return
        request.meta.update(request_meta(self.user_agent, self.options.timeout))

    # --- responses -------------------------------------------------------------------

    def process_response(self, request: Request, response: Response) -> Request | Response:
        source = self._source()
        if source is None:
            return response
        if request.meta.get("playwright"):
            return self._from_browser(request, response, source)
        if urlparse_cached(request).path == "/robots.txt":
            return response
        challenge = None if source.render == "always" else response_challenge(response)
        if challenge is None:
            self.plain_pages += 1
            return response
        if source.render == "never":
            raise ChallengeBlocked(challenge.blocked_message())
        if not self.installed:
            raise ChallengeBlocked(
                f"the site answered with {challenge.label}; the browser is not installed "
                "in this run"
            )
        host = urlparse_cached(request).netloc
        sent = int(request.meta.get("bulletins_handoff", 0))
        change = self.auto.challenged(host, challenge, sent)
        if change is Challenged.FIRST:
            self._note(f"{request.url} answered with {challenge.label}")
        elif change is Challenged.AGAIN:
            self._note(
                f"plain requests carrying the browser's cookies were challenged again, so "
                f"every page of {host} went through the browser"
            )
        tries = int(request.meta.get("bulletins_challenge_tries", 0)) + 1
        if tries > self.MAX_CHALLENGE_RETRIES:
            raise ChallengeBlocked(
                f"the site kept answering with {challenge.label}, also after the browser passed it"
            )
        meta = {k: v for k, v in request.meta.items() if k not in _TRANSIENT_META}
        meta["bulletins_challenge_tries"] = tries
        retry = request.replace(dont_filter=True, meta=meta)
        if self.auto.via_browser(host):
            self._to_browser(retry)
        return retry

    def _from_browser(self, request: Request, response: Response, source: SourceConfig) -> Response:
        self.browser_pages += 1
        methods = request.meta.get("playwright_page_methods") or {}
        settle = methods.get("settle") if isinstance(methods, dict) else None
        result = getattr(settle, "result", None)
        if not isinstance(result, dict):
            return response
        final = self._final_response(request, response, result, source)
        host = urlparse_cached(request).netloc
        state = self.auto.state(host)
        for label in result["challenges"]:
            challenged = state is not None and state.challenge is not None
            self._note("the browser passed it" if challenged else f"the browser passed {label}")
        if source.render == "auto" and self.auto.may_hand_off(host):
            # The host was challenged over plain HTTP and the browser got through: its
            # cookies go to the Scrapy jar and plain HTTP takes over again.
            cookies = [c for c in result.get("cookies") or () if c.get("name")]
            if cookies and self._hand_off(request, cookies):
                self.auto.handed_off(host)
                self._note(f"its cookies were reused for plain HTTP to {host}")
        return final

    def _final_response(
        self, request: Request, response: Response, result: dict[str, Any], source: SourceConfig
    ) -> Response:
        headers = fetched_headers(result["headers"].items(), drop=("set-cookie",))
        url = response.url or result["url"]
        if result.get("raw") is not None:
            body: bytes = result["raw"]
        else:
            text = response.text if isinstance(response, TextResponse) else ""
            encoding = "utf-8" if source.encoding == "auto" else source.encoding
            body = text.encode(encoding, "xmlcharrefreplace")
            headers["Content-Type"] = f"text/html; charset={encoding}"
        cls = responsetypes.from_args(headers=headers, url=url, body=body)
        return cls(
            url=url,
            status=int(result["status"]),
            headers=headers,
            body=body,
            request=request,
            flags=[*response.flags],
        )

    def _hand_off(self, request: Request, cookies: list[dict[str, Any]]) -> bool:
        """Copy the browser context's cookies for the host into Scrapy's cookie jar."""
        from scrapy.downloadermiddlewares.cookies import CookiesMiddleware

        from crawlers.browser import jar_cookie

        middlewares = self.crawler.engine.downloader.middleware.middlewares
        jars = next((m.jars for m in middlewares if isinstance(m, CookiesMiddleware)), None)
        if jars is None:
            return False
        jar = jars[request.meta.get("cookiejar")]
        for cookie in cookies:
            jar.set_cookie(jar_cookie(cookie))
        self.handoffs += 1
        return True

    # --- the record ------------------------------------------------------------------

    def used_browser(self) -> str | None:
        """Whether and why the crawl used the browser, in one line (None: it did not)."""
        from crawlers.browser.shared import SHARED

        if not self.browser_pages:
            return None
        parts = list(self.reasons)
        parts.append(
            f"{self.browser_pages} page(s) through the browser, {self.plain_pages} over plain HTTP"
        )
        stats = self.crawler.stats
        timeouts = int(stats.get_value("bulletins/browser_timeouts", 0) or 0)
        retries = int(stats.get_value("bulletins/browser_retries", 0) or 0)
        if timeouts:
            parts.append(f"{timeouts} page time-out(s)")
        if retries:
            parts.append(f"{retries} page(s) tried again after the browser went away")
        parts.extend(dict.fromkeys(SHARED.events))
        return "; ".join(parts)

    def spider_closed(self, spider: Any, reason: str) -> None:
        text = self.used_browser()
        spider.used_browser = text
        run_id = getattr(spider, "run_id", None)
        if text is None or run_id is None:
            return
        from crawlers.store import database
        from storage.runs import record_browser_use

        db = database(self.crawler.settings["BULLETINS_DATABASE_URL"])
        with db.session() as session, session.begin():
            record_browser_use(session, run_id, text)


_TRANSIENT_META = frozenset(
    {
        "playwright",
        "playwright_context",
        "playwright_context_kwargs",
        "playwright_page_goto_kwargs",
        "playwright_page_init_callback",
        "playwright_page_methods",
        "playwright_page",
        "playwright_security_details",
        "bulletins_page",
        "bulletins_handoff",
        "download_latency",
    }
)
