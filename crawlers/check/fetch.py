"""Fetching a check's pages: plain HTTP (httpx, within the check's deadline) or the
browser the caller passed in, with ``render: auto`` deciding between them."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from urllib.parse import urldefrag, urlsplit

import httpx
import scrapy
from scrapy.http import Response, TextResponse

from crawlers.challenges import Challenge, response_challenge
from crawlers.charset import Undecodable
from crawlers.check.results import PageCheck, SourceCheck
from crawlers.content_type import not_text
from crawlers.renderauto import Challenged, RenderAuto
from crawlers.responses import fetched_headers, to_response
from crawlers.sources.schema import SourceConfig
from crawlers.spiders.bulletin import BulletinSpider
from storage.status import ErrorCode, classify, http_code

__all__ = [
    "MAX_BODY",
    "BrowserFetch",
    "Deadline",
    "Fetcher",
    "describe_error",
    "fetch_http",
    "fetch_page",
    "http_verdict",
]

MAX_BODY = 16 * 1024 * 1024

BrowserFetch = Callable[[SourceConfig, scrapy.Request, float], Response]
"""Fetch `request` for `source` through a browser within the given seconds
(`crawlers.browser.sync.CheckBrowser.fetch` is one)."""


class Deadline(Exception):
    pass


def _headers(request: scrapy.Request) -> list[tuple[str, str]]:
    return [
        (key.decode("latin-1"), value.decode("latin-1"))
        for key, values in request.headers.items()
        for value in values
    ]


def fetch_http(client: httpx.Client, request: scrapy.Request, deadline: float) -> Response:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise Deadline
    url = urldefrag(request.url)[0]
    with client.stream(
        request.method,
        url,
        headers=_headers(request),
        content=request.body or None,
        timeout=httpx.Timeout(remaining),
    ) as reply:
        chunks: list[bytes] = []
        size = 0
        for chunk in reply.iter_bytes():
            size += len(chunk)
            if size > MAX_BODY:
                raise httpx.ReadError(f"the page is larger than {MAX_BODY} bytes")
            if time.monotonic() > deadline:
                raise Deadline
            chunks.append(chunk)
        headers = fetched_headers(reply.headers.multi_items())
        return to_response(request, str(reply.url), reply.status_code, headers, b"".join(chunks))


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, Deadline):
        return "the time limit passed"
    if isinstance(exc, httpx.ConnectError):
        text = str(exc) or "connection failed"
        lowered = text.lower()
        if (
            "name or service not known" in lowered
            or "nodename nor servname" in lowered
            or ("getaddrinfo" in lowered or "name resolution" in lowered)
        ):
            return f"DNS: the host does not resolve ({text})"
        return f"cannot connect: {text}"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    return f"{type(exc).__name__}: {exc}"


class Fetcher:
    """Plain HTTP or the browser, chosen the way a crawl chooses (`crawlers.renderauto`)."""

    def __init__(
        self,
        source: SourceConfig,
        result: SourceCheck,
        client: httpx.Client,
        browser: BrowserFetch | None,
        deadline: float,
    ) -> None:
        self.source, self.result, self.client = source, result, client
        self.browser, self.deadline = browser, deadline
        self.auto = RenderAuto()

    def _browser(self, request: scrapy.Request) -> Response:
        assert self.browser is not None
        request.meta["bulletins_via_browser"] = True
        return self.browser(self.source, request, max(0.0, self.deadline - time.monotonic()))

    def __call__(self, request: scrapy.Request) -> Response:
        host = urlsplit(request.url).netloc
        always = self.source.render == "always"
        if self.browser is not None and (always or self.auto.via_browser(host)):
            return self._browser(request)
        response = fetch_http(self.client, request, self.deadline)
        challenge = None if always else response_challenge(response)
        if challenge is None:
            return response
        result = self.result
        result.needs_browser = True
        if self.source.render == "never" or self.browser is None:
            result.browser_reason = f"the site answered with {challenge.label}"
            return response
        change = self.auto.challenged(host, challenge, self.auto.generation(host))
        if change is Challenged.AGAIN:
            result.browser_reason = (
                f"render: auto: {challenge.label}; plain HTTP was challenged again with the "
                "browser's cookies, so every page needs the browser"
            )
        elif change is Challenged.FIRST:
            result.browser_reason = f"render: auto: the site answered with {challenge.label}"
        rendered = self._browser(request)
        info = request.meta.get("bulletins_browser") or {}
        if not info.get("passed", True):
            result.browser_reason = (
                f"{result.browser_reason}; the browser did not pass it ({info.get('why')})"
            )
            return rendered
        if change is Challenged.FIRST:
            result.browser_reason = f"{result.browser_reason}; the browser passed it"
        cookies = [c for c in info.get("cookies") or () if c.get("name")]
        if cookies and self.auto.may_hand_off(host):
            for cookie in cookies:
                self.client.cookies.set(
                    cookie["name"], cookie["value"], domain=cookie["domain"], path=cookie["path"]
                )
            self.auto.handed_off(host)
            result.browser_reason = (
                f"{result.browser_reason} and its cookies were handed to plain HTTP"
            )
        return rendered


def challenge_text(challenge: Challenge | None) -> str | None:
    """A challenge in a check's words: what it is, and the evidence."""
    return f"{challenge.label}: {challenge.evidence}" if challenge else None


def fetch_page(
    fetch: Callable[[scrapy.Request], Response], request: scrapy.Request, spider: BulletinSpider
) -> tuple[PageCheck, Response | None]:
    page = PageCheck(url=request.url, method=request.method)
    began = time.monotonic()
    try:
        response = fetch(request)
    except Exception as exc:  # every transport failure is a result here
        page.error = describe_error(exc)
        page.code = ErrorCode.TIMEOUT if isinstance(exc, Deadline) else classify(exc)
        page.seconds = round(time.monotonic() - began, 3)
        page.browser = bool(request.meta.get("bulletins_via_browser"))
        return page, None
    page.seconds = round(time.monotonic() - began, 3)
    page.browser = bool(request.meta.get("bulletins_via_browser"))
    page.url = response.url
    page.status = response.status
    if isinstance(response, TextResponse):
        if not_text(response) is None:  # a file has no charset: the spider reports not_html
            with contextlib.suppress(Undecodable):  # the spider's callbacks report it
                response = spider.decoded(response)
            page.encoding = response.encoding
        page.challenge = challenge_text(response_challenge(response))
    return page, response


def http_verdict(page: PageCheck) -> tuple[str, str, str] | None:
    """The verdict a page's fetch decides by itself (verdict, reason, code), if it does."""
    if page.error:
        return "unreachable", page.error, page.code or ErrorCode.CONNECTION_ERROR
    if page.challenge:
        return "blocked", f"challenge: {page.challenge}", ErrorCode.CHALLENGE
    assert page.status is not None
    if page.status in (401, 403, 429):
        return "blocked", f"HTTP {page.status}", http_code(page.status)
    if page.status >= 400:
        return "unreachable", f"HTTP {page.status}", http_code(page.status)
    return None
