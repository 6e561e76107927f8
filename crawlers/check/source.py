"""Checking sources: each one's first listing page and first article, read by its own
spider; many sources at once, each within a hard time limit."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import httpx
import scrapy
from scrapy.http import Response

from crawlers import settings as crawl_settings
from crawlers.check.detection import compare_with_detection
from crawlers.check.fetch import BrowserFetch, Fetcher, fetch_page, http_verdict
from crawlers.check.offline import offline_spider
from crawlers.check.results import SourceCheck
from crawlers.failures import callback_code
from crawlers.items import ArticleItem, BrokenPageItem
from crawlers.netguard import httpx_guard
from crawlers.sources.schema import SourceConfig
from crawlers.spiders.bulletin import BulletinSpider
from storage.status import ErrorCode, classify

__all__ = ["DEFAULT_TIMEOUT", "check_source", "check_sources", "needs_browser"]

DEFAULT_TIMEOUT = 20.0
MAX_HOPS = 3  # column page -> list API -> ...


def needs_browser(source: SourceConfig) -> bool:
    """Whether crawling this source needs the browser (``render: always``)."""
    return source.render == "always"


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
            fetch = Fetcher(source, result, client, browser, deadline)
            _run(source, result, fetch, timezone)
        if result.code == ErrorCode.CHALLENGE:
            if source.render == "never":
                result.reason += "; set `render: auto` for this source"
            elif browser is None:
                result.reason += "; no browser to pass it here (install Chromium)"
    finally:
        result.seconds = round(time.monotonic() - started, 3)
    return result


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
        page, response = fetch_page(fetch, request, spider)
        result.listing.append(page)
        decided = http_verdict(page)
        if decided:
            return result.finish(*decided)
        assert response is not None
        _compare(spider, response, result)
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

    page, response = fetch_page(fetch, first, spider)
    result.article = page
    decided = http_verdict(page)
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
    # In the crawl's words and code: what the spider recorded on the page (not_html,
    # empty_body, undecodable ...).
    failed = next((e for e in reversed(spider.errors) if e["kind"] == "article"), None)
    why = failed["error"] if failed else "the article page gave nothing"
    code = failed["code"] if failed else ErrorCode.EMPTY_BODY
    return result.finish("no_match", f"article: {why}", code)


def _compare(spider: BulletinSpider, response: Response, result: SourceCheck) -> None:
    """Detection next to the selectors on a listing page (a detection bug is reported,
    and does not decide the verdict)."""
    try:
        found = compare_with_detection(spider, response)
    except Exception as exc:
        result.detection_error = f"detection failed: {exc!r}"
        return
    if found is not None:
        result.detection = found


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
