"""`bulletins sources check`: try a source now, the way a crawl would read it.

For each source: fetch its first listing page, run the source's own spider on it
(the same `listing_request` / `parse_listing` / `parse_article` code a crawl runs,
so check and crawl agree), follow the column page to its list API where the
family works that way, fetch the first article and read it. Report what was
found and one verdict:

    ok           the listing gave article links and the first article a title and a body
    no_match     "selectors found nothing": a page came back but the list or the
                 article selectors found nothing on it
    blocked      an anti-bot challenge (HTTP 412/521 answered with a script, the
                 ``$_ts`` or ``__jsl_clearance`` markers, a page that is only script)
                 or a refusal (HTTP 401/403/429)
    unreachable  no answer: DNS, connection, TLS, HTTP errors such as 404 or 5xx,
                 or the time limit

Each source has a hard time limit (DNS included): it runs in a daemon thread that
is abandoned, and reported unreachable, when the limit passes. Sources are checked
concurrently.

The browser: sources with ``render: always`` are fetched through it; a ``render:
auto`` source is fetched over plain HTTP first and, when a page answers with a
challenge, that page goes through the browser, whose cookies are then tried for
plain HTTP (the way a crawl hands them over). The result says whether the source
needed the browser and why (`needs_browser`, `browser_reason`). The browser plugs in
through `BrowserFetch` (the `browser` argument of `check_sources`, or the
module-level `browser_fetch`, which is Chromium through `crawlers.browser` wherever
one can be launched): given the source, a request and the seconds left, it returns
the rendered page as a Scrapy response. Without a browser, ``render: always``
sources are fetched over plain HTTP all the same and marked ``needs_browser``.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urldefrag

import httpx
import scrapy
from scrapy.http import Headers, Response, TextResponse
from scrapy.responsetypes import responsetypes
from scrapy.settings import Settings

from crawlers import challenges
from crawlers import settings as crawl_settings
from crawlers.charset import Undecodable
from crawlers.failures import callback_code
from crawlers.items import ArticleItem, BrokenPageItem
from crawlers.netguard import httpx_guard
from crawlers.sources.schema import SourceConfig
from crawlers.spiders import spider_class
from crawlers.spiders.bulletin import BulletinSpider
from crawlers.spiders.support import visible_text_length
from storage.status import ErrorCode, classify, http_code

__all__ = [
    "LABELS",
    "BrowserFetch",
    "PageCheck",
    "SourceCheck",
    "browser_fetch",
    "check_source",
    "check_sources",
    "detect_challenge",
    "needs_browser",
    "offline_spider",
    "to_response",
]

DEFAULT_TIMEOUT = 20.0
MAX_BODY = 16 * 1024 * 1024
MAX_HOPS = 3  # column page -> list API -> ...

LABELS = {
    "ok": "ok",
    "no_match": "selectors found nothing",
    "blocked": "blocked",
    "unreachable": "unreachable",
}

BrowserFetch = Callable[[SourceConfig, scrapy.Request, float], Response]
"""Fetch `request` for `source` through a browser within the given seconds."""



def _chromium_fetch() -> BrowserFetch | None:
    """`crawlers.browser.check_fetch` where a Chromium can be launched, else None."""
    try:
        from crawlers.browser import check_fetch, chromium_missing
    except ImportError:  # Playwright is not installed
        return None
    return None if chromium_missing() else check_fetch


browser_fetch: BrowserFetch | None = _chromium_fetch()
"""The browser of the checks (Chromium through `crawlers.browser`), None without one."""


def needs_browser(source: SourceConfig) -> bool:
    """Whether crawling this source needs the browser (``render: always``)."""
    return source.render == "always"


# --- results ---------------------------------------------------------------------


@dataclass
class PageCheck:
    """One fetched page: where, what came back, and how it decoded."""

    url: str
    method: str = "GET"
    status: int | None = None
    encoding: str | None = None
    challenge: str | None = None
    error: str | None = None
    seconds: float = 0.0
    browser: bool = False  # fetched through the browser
    code: str | None = None  # storage.status code of a failed fetch


@dataclass
class SourceCheck:
    source_id: str
    verdict: str = "unreachable"
    reason: str = ""
    code: str | None = None  # storage.status code of what decided the verdict, if it failed
    needs_browser: bool = False
    browser_reason: str | None = None  # why the source needs the browser
    render: str = "auto"
    seconds: float = 0.0
    listing: list[PageCheck] = field(default_factory=list)
    items: int = 0
    first_link: str | None = None
    first_title: str | None = None
    first_date: str | None = None
    article: PageCheck | None = None
    article_title: str | None = None
    article_date: str | None = None
    body_chars: int = 0

    @property
    def ok(self) -> bool:
        return self.verdict == "ok"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["label"] = LABELS[self.verdict]
        return data

    def finish(self, verdict: str, reason: str, code: str | None = None) -> SourceCheck:
        self.verdict, self.reason, self.code = verdict, reason, code
        return self


# --- the spider, without a crawl -------------------------------------------------


class _NoStats:
    def inc_value(self, *args: Any, **kwargs: Any) -> None:
        pass

    def set_value(self, *args: Any, **kwargs: Any) -> None:
        pass

    def get_value(self, key: str, default: Any = None, *args: Any, **kwargs: Any) -> Any:
        return default


class _OfflineCrawler:
    """What the parsing steps of a spider touch of its crawler: stats and settings."""

    def __init__(self) -> None:
        self.stats = _NoStats()
        self.settings = Settings()
        self.settings.setmodule(crawl_settings, priority="project")


def offline_spider(source: SourceConfig, timezone: str = "Asia/Shanghai") -> BulletinSpider:
    """The source's own spider, ready to parse pages handed to it (no engine, no database)."""
    spider = spider_class(source.spider)(source)
    spider.crawler = _OfflineCrawler()  # type: ignore[assignment]
    spider.timezone = timezone
    return spider


def to_response(
    request: scrapy.Request, url: str, status: int, headers: Headers, body: bytes
) -> Response:
    """A Scrapy response of the right class (HTML, JSON, XML, text ...) for fetched bytes."""
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url=url, status=status, headers=headers, body=body, request=request)


# --- challenges ------------------------------------------------------------------

MARKERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"jsl_clearance|__jsluid"), "加速乐 (__jsl_clearance)"),
    (re.compile(r"\$_ts\s*=|\$_ts\["), "瑞数 ($_ts)"),
    (re.compile(r"<(?:meta|script)\b[^>]*\sr=['\"]m['\"]", re.I), '瑞数 (r="m" script)'),
    (re.compile(r"acw_sc__v2"), "Alibaba Cloud WAF (acw_sc__v2)"),
    (re.compile(r"wzwschallenge|wzws_cid"), "WZWS (wzws_cid)"),
    (re.compile(r"yunsuo_session_verify"), "云锁 (yunsuo_session_verify)"),
)
CHALLENGE_STATUS = (412, 521)


def detect_challenge(status: int, text: str) -> str | None:
    """What anti-bot challenge a response is, if it is one."""
    head = text[:30000]
    marker = next((name for pattern, name in MARKERS if pattern.search(head)), None)
    scripted = "<script" in head.lower()
    visible = visible_text_length(head)
    if status in CHALLENGE_STATUS and scripted:
        return f"HTTP {status} with a script" + (f": {marker}" if marker else "")
    if marker and visible < 200:
        return marker
    if status == 200 and scripted and visible < 20 and len(text) < 100_000:
        return "a page that is only script"
    return None


# --- fetching --------------------------------------------------------------------


class _Deadline(Exception):
    pass


def _headers(request: scrapy.Request) -> list[tuple[str, str]]:
    return [
        (key.decode("latin-1"), value.decode("latin-1"))
        for key, values in request.headers.items()
        for value in values
    ]


def _fetch_http(client: httpx.Client, request: scrapy.Request, deadline: float) -> Response:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _Deadline
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
                raise _Deadline
            chunks.append(chunk)
        skip = {"content-encoding", "content-length", "transfer-encoding"}
        headers = Headers([(k, v) for k, v in reply.headers.multi_items() if k.lower() not in skip])
        return to_response(request, str(reply.url), reply.status_code, headers, b"".join(chunks))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, _Deadline):
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


# --- one source ------------------------------------------------------------------


def check_source(
    source: SourceConfig,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    user_agent: str | None = None,
    timezone: str = "Asia/Shanghai",
    browser: BrowserFetch | None = None,
    progress: SourceCheck | None = None,
) -> SourceCheck:
    """Check one source (no time limit of its own beyond the HTTP timeouts)."""
    started = time.monotonic()
    deadline = started + timeout
    result = progress or SourceCheck(source.id)
    result.needs_browser = needs_browser(source)
    if result.needs_browser:
        result.browser_reason = "render: always"
    result.render = source.render
    headers = {
        "User-Agent": user_agent or crawl_settings.USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8",
    }
    try:
        hooks = {"request": [httpx_guard(source)]}  # http(s), own hosts, public addresses
        with httpx.Client(
            headers=headers, follow_redirects=True, verify=True, event_hooks=hooks
        ) as client:
            fetch = _Fetcher(source, result, client, browser, deadline)
            _run(source, result, fetch, timezone)
        if result.code == ErrorCode.CHALLENGE:
            if source.render == "never":
                result.reason += "; set `render: auto` for this source"
            elif browser is None:
                result.reason += "; no browser to pass it here (install Chromium)"
    finally:
        result.seconds = round(time.monotonic() - started, 3)
    return result


class _Fetcher:
    """Plain HTTP or the browser, the way a crawl chooses (see `crawlers.middlewares`)."""

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
        self.browser_only = result.needs_browser
        self.handed_off = False

    def _browser(self, request: scrapy.Request) -> Response:
        assert self.browser is not None
        request.meta["bulletins_via_browser"] = True
        return self.browser(self.source, request, max(0.0, self.deadline - time.monotonic()))

    def __call__(self, request: scrapy.Request) -> Response:
        if self.browser_only and self.browser is not None:
            return self._browser(request)
        response = _fetch_http(self.client, request, self.deadline)
        if self.source.render == "always" or not isinstance(response, TextResponse):
            return response
        names = [c.split("=", 1)[0].strip() for c in _set_cookies(response)]
        challenge = challenges.detect(response.status, response.text, names)
        if challenge is None:
            return response
        result = self.result
        result.needs_browser = True
        if self.source.render == "never" or self.browser is None:
            result.browser_reason = f"the site answered with {challenge.label}"
            return response
        if self.handed_off:
            self.browser_only = True
            result.browser_reason = (
                f"render: auto: {challenge.label}; plain HTTP was challenged again with the "
                "browser's cookies, so every page needs the browser"
            )
        else:
            result.browser_reason = f"render: auto: the site answered with {challenge.label}"
        rendered = self._browser(request)
        info = request.meta.get("bulletins_browser") or {}
        if not info.get("passed", True):
            result.browser_reason += f"; the browser did not pass it ({info.get('why')})"
            return rendered
        if not self.handed_off and not self.browser_only:
            result.browser_reason += "; the browser passed it"
        cookies = [c for c in info.get("cookies") or () if c.get("name")]
        if cookies and not self.handed_off:
            for cookie in cookies:
                self.client.cookies.set(
                    cookie["name"], cookie["value"], domain=cookie["domain"], path=cookie["path"]
                )
            self.handed_off = True
            result.browser_reason += " and its cookies were handed to plain HTTP"
        return rendered


def _set_cookies(response: Response) -> list[str]:
    return [v.decode("latin-1") for v in response.headers.getlist("Set-Cookie")]


def _fetch_page(
    fetch: Callable[[scrapy.Request], Response], request: scrapy.Request, spider: BulletinSpider
) -> tuple[PageCheck, Response | None]:
    page = PageCheck(url=request.url, method=request.method)
    began = time.monotonic()
    try:
        response = fetch(request)
    except Exception as exc:  # every transport failure is a result here
        page.error = _describe(exc)
        page.code = ErrorCode.TIMEOUT if isinstance(exc, _Deadline) else classify(exc)
        page.seconds = round(time.monotonic() - began, 3)
        page.browser = bool(request.meta.get("bulletins_via_browser"))
        return page, None
    page.seconds = round(time.monotonic() - began, 3)
    page.browser = bool(request.meta.get("bulletins_via_browser"))
    page.url = response.url
    page.status = response.status
    if isinstance(response, TextResponse):
        with contextlib.suppress(Undecodable):  # the spider's callbacks report it
            response = spider.decoded(response)
        page.encoding = response.encoding
        page.challenge = detect_challenge(response.status, response.text)
    return page, response


def _http_verdict(page: PageCheck) -> tuple[str, str, str] | None:
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


def _run(
    source: SourceConfig,
    result: SourceCheck,
    fetch: Callable[[scrapy.Request], Response],
    timezone: str,
) -> SourceCheck:
    spider = offline_spider(source, timezone)
    start = source.start_urls[0]
    request = spider.listing_request(start, page=1, start_url=start)
    articles: list[scrapy.Request] = []
    for _hop in range(MAX_HOPS):
        page, response = _fetch_page(fetch, request, spider)
        result.listing.append(page)
        decided = _http_verdict(page)
        if decided:
            return result.finish(*decided)
        assert response is not None
        try:
            outputs = list(_callback(spider, request, "parse_listing")(response))
        except Exception as exc:
            return result.finish(
                "no_match", f"the spider failed on the listing: {exc!r}", callback_code(exc)
            )
        requests = [o for o in outputs if isinstance(o, scrapy.Request)]
        articles = [r for r in requests if r.meta.get("kind") == "article"]
        if articles:
            break
        follow = [
            r for r in requests if r.meta.get("kind") == "listing" and r.meta.get("page") == 1
        ]
        if not follow:
            last = spider.errors[-1] if spider.errors else None
            why = last["error"] if last else "no article links"
            code = last["code"] if last else ErrorCode.NO_ITEMS
            return result.finish("no_match", f"listing: {why}", code)
        request = follow[0]  # the column page named its list API
    else:
        return result.finish(
            "no_match",
            "listing: no article links after following the list API",
            ErrorCode.NO_ITEMS,
        )
    result.items = spider.listing_items
    first = articles[0]
    result.first_link = first.url
    result.first_title = first.meta.get("listing_title")
    result.first_date = first.meta.get("listing_date")

    page, response = _fetch_page(fetch, first, spider)
    result.article = page
    decided = _http_verdict(page)
    if decided:
        verdict, why, code = decided
        return result.finish(verdict, f"article: {why}", code)
    assert response is not None
    try:
        outputs = list(_callback(spider, first, "parse_article")(response))
    except Exception as exc:
        return result.finish(
            "no_match", f"the spider failed on the article: {exc!r}", callback_code(exc)
        )
    item = next((o for o in outputs if isinstance(o, ArticleItem | BrokenPageItem)), None)
    if isinstance(item, ArticleItem):
        result.article_title = item.title or None
        result.article_date = item.published_at.isoformat() if item.published_at else None
        result.body_chars = len(item.text)
        if not item.title:
            return result.finish("no_match", "article: no title found")
        return result.finish(
            "ok", f"{result.items} item(s); article body {result.body_chars} chars"
        )
    failed = next((e for e in reversed(spider.errors) if e["kind"] == "article"), None)
    why = item.error if isinstance(item, BrokenPageItem) else "the article page gave nothing"
    code = failed["code"] if failed else ErrorCode.EMPTY_BODY
    return result.finish("no_match", f"article: {why}", code)


def _callback(
    spider: BulletinSpider, request: scrapy.Request, default: str
) -> Callable[[Response], Iterable[Any]]:
    callback = request.callback
    if callable(callback):
        return callback
    return getattr(spider, str(callback or default))


# --- many sources, each with a hard deadline --------------------------------------


def check_sources(
    sources: Sequence[SourceConfig],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    concurrency: int = 8,
    user_agent: str | None = None,
    timezone: str = "Asia/Shanghai",
    browser: BrowserFetch | None = None,
) -> list[SourceCheck]:
    """Check `sources` concurrently; each gets `timeout` seconds, DNS included."""
    browser = browser or browser_fetch
    results: dict[int, SourceCheck] = {}
    pending = list(enumerate(sources))
    running: list[
        tuple[int, SourceConfig, threading.Thread, float, SourceCheck, dict[str, Any]]
    ] = []

    def work(source: SourceConfig, progress: SourceCheck, box: dict[str, Any]) -> None:
        try:
            box["result"] = check_source(
                source,
                timeout=timeout,
                user_agent=user_agent,
                timezone=timezone,
                browser=browser,
                progress=progress,
            )
        except Exception as exc:  # a bug must not hang or crash the whole check
            box["error"] = exc

    while pending or running:
        while pending and len(running) < max(1, concurrency):
            index, source = pending.pop(0)
            progress = SourceCheck(
                source.id, needs_browser=needs_browser(source), render=source.render
            )
            box: dict[str, Any] = {}
            thread = threading.Thread(
                target=work, args=(source, progress, box), name=f"check-{source.id}", daemon=True
            )
            thread.start()
            running.append((index, source, thread, time.monotonic(), progress, box))
        for entry in list(running):
            index, source, thread, began, progress, box = entry
            if not thread.is_alive():
                running.remove(entry)
                if "result" in box:
                    results[index] = box["result"]
                else:
                    error = box.get("error")
                    results[index] = progress.finish(
                        "unreachable",
                        f"the check failed: {error!r}",
                        classify(error) if isinstance(error, BaseException) else None,
                    )
            elif time.monotonic() - began > timeout:
                running.remove(entry)  # abandoned: the daemon thread dies with the process
                results[index] = _timed_out(progress, timeout, time.monotonic() - began)
        if running:
            time.sleep(0.02)
    return [results[i] for i in range(len(sources))]


def _timed_out(progress: SourceCheck, timeout: float, seconds: float) -> SourceCheck:
    stage = "the article" if progress.first_link else "the listing page"
    snapshot = SourceCheck(**{k: v for k, v in vars(progress).items()})
    snapshot.listing = list(progress.listing)
    snapshot.seconds = round(seconds, 3)
    return snapshot.finish(
        "unreachable", f"no answer from {stage} within {timeout:g} s", ErrorCode.TIMEOUT
    )


# --- the human summary -------------------------------------------------------------


def summary_lines(results: Sequence[SourceCheck]) -> list[str]:
    lines: list[str] = []
    width = max((len(r.source_id) for r in results), default=10)
    for r in results:
        browser = f"  [needs the browser: {r.browser_reason or 'render: always'}]"
        browser = browser if r.needs_browser else ""
        code = f"[{r.code}] " if r.code else ""
        lines.append(
            f"{r.source_id:<{width}}  {LABELS[r.verdict]:<23}  {code}{r.reason}{browser}"
        )
        for page in r.listing:
            lines.append(f"  listing  {_page_line(page)}")
        if r.first_link:
            first = " | ".join(x for x in (r.first_title, r.first_date) if x)
            lines.append(f"           {r.items} item(s); first: {first or '(no title)'}")
            lines.append(f"           {r.first_link}")
        if r.article:
            lines.append(f"  article  {_page_line(r.article)}")
            if r.article_title or r.body_chars:
                date = r.article_date or "no date"
                lines.append(
                    f"           title: {r.article_title or '(none)'} | {date} | "
                    f"body {r.body_chars} chars"
                )
    counts: dict[str, int] = {}
    for r in results:
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
    tally = ", ".join(f"{n} {LABELS[v]}" for v, n in counts.items())
    lines.append(f"{len(results)} source(s) checked: {tally}")
    return lines


def _page_line(page: PageCheck) -> str:
    parts = [page.url if page.method == "GET" else f"{page.method} {page.url}"]
    if page.status is not None:
        parts.append(f"HTTP {page.status}")
    if page.encoding:
        parts.append(page.encoding)
    if page.challenge:
        parts.append(f"challenge: {page.challenge}")
    if page.error:
        parts.append(page.error)
    if page.browser:
        parts.append("via the browser")
    parts.append(f"{page.seconds:.1f} s")
    return "  ".join(parts)
