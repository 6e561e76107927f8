"""The generic, configuration-driven spider: listing pages -> article pages.

Incremental by design: article URLs already stored for the source are not
requested; paging goes on while a page brings something new, and always to
`min_pages`, so a release posted late with an older date is still found.
Listing pages are fetched with conditional GET; their validators are saved only
after the page parsed well (see `ListingPageItem`), so a 304 never hides a page
whose last parse failed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawlers.challenges import ChallengeBlocked
from crawlers.charset import Undecodable, readable
from crawlers.content_type import not_text
from crawlers.dates import date_from_url, parse_date
from crawlers.detect.crawl import reconcile
from crawlers.items import (
    ArticleItem,
    BrokenPageItem,
    ListingEntry,
    ListingPageItem,
    PageFailureItem,
)
from crawlers.page import article_date, article_title, main_text
from crawlers.robots import RobotsDisallowed
from crawlers.selectors import first_text, select
from crawlers.sources.schema import SourceConfig
from crawlers.store import database
from storage import repository
from storage.models import utcnow
from storage.status import ErrorCode, classify, describe, page_error

MIN_BODY_CHARS = 20


class BulletinSpider(scrapy.Spider):
    name = "bulletin"

    def __init__(self, source: SourceConfig, *args: Any, **kwargs: Any) -> None:
        kwargs["name"] = f"bulletin:{source.id}"
        super().__init__(*args, **kwargs)
        self.source = source
        self.known_urls: set[str] = set()
        self.stored_urls: set[str] = set()
        self.failed_urls: set[str] = set()
        # Listing pages whose validators wait for their articles: url -> [item, left, all_ok]
        self.pending_listings: dict[str, list[Any]] = {}
        self.listing_state: dict[str, Any] = {}
        self.errors: list[dict[str, Any]] = []
        self.listing_ok = 0
        self.listing_items = 0
        # Detection's findings (crawlers.detect.crawl): warnings for the run, next pages
        self.listing_warnings: list[dict[str, Any]] = []
        self.detected_next_pages: dict[str, str] = {}
        self.run_id: int | None = None
        self.timezone = "Asia/Shanghai"
        self.full = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> BulletinSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.timezone = crawler.settings.get("BULLETINS_TIMEZONE", "Asia/Shanghai")
        spider.full = crawler.settings.getbool("BULLETINS_FULL_CRAWL", False)
        return spider

    # --- start ----------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        db = database(self.settings["BULLETINS_DATABASE_URL"])
        with db.session() as session:
            self.stored_urls = repository.known_article_urls(session, self.source.id)
            failures = repository.page_failures(session, self.source.id)
            self.listing_state = {
                url: (row.etag, row.last_modified, row.next_url)
                for url, row in repository.listing_states(session, self.source.id).items()
            }
        self.failed_urls = set(failures)
        now = utcnow()
        not_due = {url for url, due in failures.items() if due is None or due > now}
        if not self.full:
            self.known_urls = self.stored_urls | not_due
        for url in self.source.start_urls:
            yield self.listing_request(url, page=1, start_url=url)

    def listing_request(self, url: str, *, page: int, start_url: str) -> scrapy.Request:
        headers: dict[str, str] = {}
        state = None if self.full else self.listing_state.get(url)
        if state:
            etag, last_modified, _next = state
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
        return scrapy.Request(
            url,
            headers=headers,
            callback=self.parse_listing,
            errback=self.on_error,
            dont_filter=True,
            meta={
                "page": page,
                "start_url": start_url,
                "kind": "listing",
                "handle_httpstatus_list": [304],
            },
        )

    # --- listing pages ----------------------------------------------------------

    def parse_listing(self, response: Response) -> Iterator[Any]:
        page: int = response.meta["page"]
        start_url: str = response.meta["start_url"]
        spec = self.source.list
        if response.status == 304:
            self.listing_ok += 1
            next_url = self.listing_state.get(response.url, (None, None, None))[2]
            new = 0
        else:
            unreadable = not_text(response)
            if unreadable is not None or not isinstance(response, TextResponse):
                self.record_error(
                    response.url, f"listing page is not text/html ({unreadable})",
                    kind="listing", code=ErrorCode.NOT_HTML,
                )
                return
            try:
                response = self.decoded(response)
            except Undecodable as exc:
                self.record_error(response.url, str(exc), kind="listing", code=exc.code)
                return
            entries = reconcile(self, response, self.listing_entries(response))
            next_url = self.next_listing_url(response, page, start_url)
            fresh = []
            for entry in entries:
                self.listing_items += 1
                if entry.url not in self.known_urls:
                    self.known_urls.add(entry.url)
                    fresh.append(entry)
            new = len(fresh)
            if not entries:
                self.record_error(
                    response.url,
                    f"the list selector {spec.item!r} matched nothing and detection found no list"
                    if spec.item
                    else "detection found no article list on the page",
                    kind="listing",
                    code=ErrorCode.NO_ITEMS,
                )
            else:
                self.listing_ok += 1
                validators = ListingPageItem(
                    source_id=self.source.id,
                    url=response.url,
                    etag=_header(response, "ETag"),
                    last_modified=_header(response, "Last-Modified"),
                    next_url=next_url,
                    items=len(entries),
                )
                # Saved only once every new article of the page is stored: a 304
                # must never hide an article that was not.
                if fresh:
                    self.pending_listings[response.url] = [validators, len(fresh), True]
                else:
                    yield validators
            for entry in fresh:
                request = self.article_request(entry)
                request.meta["listing_url"] = response.url
                yield request
        self.crawler.stats.inc_value("bulletins/listing_pages")
        keep_paging = new > 0 or page < spec.min_pages or self.full
        if next_url and page < spec.max_pages and keep_paging:
            yield self.listing_request(next_url, page=page + 1, start_url=start_url)

    def listing_entries(self, response: TextResponse) -> list[ListingEntry]:
        """The article links of a listing page; a CMS with a quirk overrides this."""
        spec = self.source.list
        entries: list[ListingEntry] = []
        if not spec.item:
            return entries  # found by detection (crawlers.detect.crawl)
        for item in select(response, spec.item):
            href = first_text(item, spec.link)
            if not href:
                continue
            url = response.urljoin(href.strip())
            if url.startswith(("http://", "https://")):
                entries.append(
                    ListingEntry(url, first_text(item, spec.title), first_text(item, spec.date))
                )
        return entries

    def article_request(self, entry: ListingEntry) -> scrapy.Request:
        # Listed URLs are deduplicated above (known_urls). Not filtering here lets a
        # redirect reach an article already fetched in this crawl, so the listed URL
        # is stored as leading there instead of being dropped and fetched every crawl.
        # Like every request of the spider it is exempt from the duplicate filter, the
        # only thing that drops a request without a word (Scrapy's request_dropped).
        return scrapy.Request(
            entry.url,
            callback=self.parse_article,
            errback=self.on_error,
            dont_filter=True,
            meta={
                "kind": "article",
                "listing_title": entry.title,
                "listing_date": entry.date,
                "listing_entry_url": entry.url,
            },
        )

    def next_listing_url(self, response: TextResponse, page: int, start_url: str) -> str | None:
        spec = self.source.list
        if spec.next_page:
            href = first_text(response, spec.next_page)
            if href and not href.lower().startswith("javascript"):
                url = response.urljoin(href.strip())
                return url if url != response.url else None
            return None
        if spec.pages:
            return urljoin(start_url, spec.pages.format(n=spec.pages_from + page - 1))
        return self.detected_next_pages.get(response.url)

    # --- article pages ----------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Any]:
        headers = {k.decode(): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
        unreadable = not_text(response)
        if unreadable is not None or not isinstance(response, TextResponse):
            yield from self.article_failed(
                response, headers, f"the article is not an HTML page ({unreadable})",
                ErrorCode.NOT_HTML,
            )
            return
        try:
            response = self.decoded(response)
        except Undecodable as exc:  # kept as a broken page, never stored as mojibake
            yield from self.article_failed(response, headers, str(exc), exc.code)
            return
        spec = self.source.article
        text = main_text(response, spec.body)
        if len(text) < MIN_BODY_CHARS:
            what = (
                f"the article body selector {spec.body!r} matched nothing"
                if spec.body
                else "no main text found on the page"
            )
            yield from self.article_failed(response, headers, what, ErrorCode.EMPTY_BODY)
            return
        published = article_date(
            response, spec.date, self.timezone, response.meta.get("listing_date")
        )
        if published is None:
            published = parse_date(response.meta.get("listing_date"), self.timezone)
        if published is None:
            published = date_from_url(response.url, self.timezone)
        title = article_title(response, spec.title, response.meta.get("listing_title"))
        self.crawler.stats.inc_value("bulletins/articles_parsed")
        yield from self.article_done(response.meta, ok=True, item=ArticleItem(
            source_id=self.source.id,
            url=response.url,
            title=title,
            published_at=published,
            language=self.source.language,
            text=text,
            body=response.body,
            status=response.status,
            headers=headers,
            encoding=response.encoding,
            revisit=response.url in self.stored_urls
            or response.meta.get("listing_entry_url") in self.stored_urls,
            failed_before=response.url in self.failed_urls
            or response.meta.get("listing_entry_url") in self.failed_urls,
            listed_url=response.meta.get("listing_entry_url"),
        ))

    def article_done(self, meta: Any, *, ok: bool, item: Any = None) -> Iterator[Any]:
        """Yield the article's item, then its listing page's validators once the
        page has no article left to store, and only if all of them were stored."""
        if item is not None:
            yield item
        pending = self.pending_listings.get(meta.get("listing_url", ""))
        if pending is None:
            return
        pending[1] -= 1
        pending[2] = pending[2] and ok
        if pending[1] <= 0:
            del self.pending_listings[meta["listing_url"]]
            if pending[2]:
                yield pending[0]

    def article_failed(
        self, response: Response, headers: dict[str, str], error: str, code: str
    ) -> Iterator[Any]:
        """A fetched article that could not be read: kept for inspection, on the run with
        its code, and a failed page to fetch again later."""
        self.record_error(response.url, error, kind="article", code=code)
        self.crawler.stats.inc_value("bulletins/empty_bodies")  # fetched, nothing stored
        kept = error if error.startswith(code) else f"{code}: {error}"
        yield self.broken(response, headers, kept)
        failed = self.failure(response, error, code=code)
        yield from self.article_done(response.meta, ok=False, item=failed)

    def callback_failed(self, response: Response, exc: Exception) -> Iterator[Any]:
        """A callback raised (crawlers.failures): the page failed, with the exception's code."""
        from crawlers.failures import callback_code

        code, message = callback_code(exc), describe(exc)
        kind = response.meta.get("kind", "page")
        self.logger.error("reading %s failed", response.url, exc_info=exc)
        if kind != "article":
            self.record_error(response.url, message, kind=kind, code=code)
            return
        headers = {k.decode(): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
        yield from self.article_failed(response, headers, message, code)

    def broken(
        self, response: TextResponse | Response, headers: dict[str, str], error: str
    ) -> BrokenPageItem:
        return BrokenPageItem(
            source_id=self.source.id,
            url=response.url,
            body=response.body,
            status=response.status,
            error=error,
            headers=headers,
            encoding=getattr(response, "encoding", None),
        )

    def decoded(self, response: TextResponse) -> TextResponse:
        """`response` in the charset its bytes are in (raises `Undecodable`)."""
        return readable(response, self.source.encoding, self.source.language)

    # --- failures -------------------------------------------------------------------

    def on_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        kind = request.meta.get("kind", "page")
        response = getattr(failure.value, "response", None)
        numbered = self.source.list.pages and not self.source.list.next_page
        if (
            kind == "listing"
            and numbered
            and response is not None
            and response.status == 404
            and request.meta.get("page", 1) > 1
        ):
            # Numbered pages (index_{n}.html) end where the next number is missing.
            self.logger.debug("listing ends before %s", request.url)
            return
        code = classify(failure.value) if failure.value is not None else ErrorCode.ERROR
        if isinstance(failure.value, ChallengeBlocked | RobotsDisallowed):
            message = str(failure.value)  # names the challenge and the fix, or the robots.txt
        elif response is not None:
            message = f"HTTP {response.status}"
        else:
            message = f"{failure.type.__name__}: {failure.getErrorMessage()}"  # type: ignore[union-attr]
        self.record_error(request.url, message, kind=kind, code=code)
        if kind == "article":
            failed = self.failure(request, message, code=code)
            yield from self.article_done(request.meta, ok=False, item=failed)

    def failure(self, page: scrapy.Request | Response, error: str, *, code: str) -> PageFailureItem:
        """The failure of an article page (a request or its response), under its URL
        and the URL its listing linked to; its code decides when it is fetched again
        (`storage.repository.record_page_failure`)."""
        listed = page.meta.get("listing_entry_url")
        return PageFailureItem(self.source.id, page.url, error, code=code, listed_url=listed)

    def record_error(self, url: str, message: str, *, kind: str, code: str) -> None:
        """A failed page on the run: its URL, code (storage.status), message and kind."""
        self.logger.warning("%s page failed: %s: %s: %s", kind, url, code, message)
        self.errors.append(page_error(url, code, message, kind))


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
