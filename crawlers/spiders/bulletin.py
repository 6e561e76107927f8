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
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawlers.dates import date_from_url, parse_date
from crawlers.items import ArticleItem, BrokenPageItem, ListingPageItem
from crawlers.page import article_date, article_title, main_text
from crawlers.selectors import first_text, select
from crawlers.sources.schema import SourceConfig
from crawlers.store import database
from storage import repository

MIN_BODY_CHARS = 20


@dataclass(frozen=True)
class ListingEntry:
    """One article link found on a listing page."""

    url: str
    title: str | None = None
    date: str | None = None


class BulletinSpider(scrapy.Spider):
    name = "bulletin"

    def __init__(self, source: SourceConfig, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, name=f"bulletin:{source.id}", **kwargs)
        self.source = source
        self.known_urls: set[str] = set()
        self.listing_state: dict[str, Any] = {}
        self.errors: list[dict[str, Any]] = []
        self.listing_ok = 0
        self.listing_items = 0
        self.run_id: int | None = None
        self.timezone = "Asia/Shanghai"
        self.full = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> BulletinSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.timezone = crawler.settings.get("BULLETINS_TIMEZONE", "Asia/Shanghai")
        spider.full = crawler.settings.getbool("BULLETINS_FULL_CRAWL", False)
        return spider  # type: ignore[return-value]

    # --- start ----------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        db = database(self.settings["BULLETINS_DATABASE_URL"])
        with db.session() as session:
            if not self.full:
                self.known_urls = repository.known_article_urls(session, self.source.id)
            self.listing_state = {
                url: (row.etag, row.last_modified, row.next_url)
                for url, row in repository.listing_states(session, self.source.id).items()
            }
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
            if not isinstance(response, TextResponse):
                self.record_error(response.url, "listing page is not text/html", kind="listing")
                return
            response = self.decoded(response)
            entries = self.listing_entries(response)
            new = 0
            for entry in entries:
                self.listing_items += 1
                if entry.url in self.known_urls:
                    continue
                self.known_urls.add(entry.url)
                new += 1
                yield self.article_request(entry)
            next_url = self.next_listing_url(response, page, start_url)
            if not entries:
                self.record_error(
                    response.url,
                    f"the list selector {spec.item!r} matched nothing",
                    kind="listing",
                )
            else:
                self.listing_ok += 1
                yield ListingPageItem(
                    source_id=self.source.id,
                    url=response.url,
                    etag=_header(response, "ETag"),
                    last_modified=_header(response, "Last-Modified"),
                    next_url=next_url,
                    items=len(entries),
                )
        self.crawler.stats.inc_value("bulletins/listing_pages")
        keep_paging = new > 0 or page < spec.min_pages or self.full
        if next_url and page < spec.max_pages and keep_paging:
            yield self.listing_request(next_url, page=page + 1, start_url=start_url)

    def listing_entries(self, response: TextResponse) -> list[ListingEntry]:
        """The article links of a listing page; a CMS with a quirk overrides this."""
        spec = self.source.list
        entries = []
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
        return scrapy.Request(
            entry.url,
            callback=self.parse_article,
            errback=self.on_error,
            meta={"kind": "article", "listing_title": entry.title, "listing_date": entry.date},
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
        return None

    # --- article pages ----------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Any]:
        headers = {k.decode(): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
        if not isinstance(response, TextResponse):
            yield self.broken(response, headers, "the article is not an HTML page")
            return
        response = self.decoded(response)
        spec = self.source.article
        text = main_text(response, spec.body)
        if len(text) < MIN_BODY_CHARS:
            what = (
                f"the article body selector {spec.body!r} matched nothing"
                if spec.body
                else "no main text found on the page"
            )
            yield self.broken(response, headers, what)
            return
        published = article_date(response, spec.date, self.timezone)
        if published is None:
            published = parse_date(response.meta.get("listing_date"), self.timezone)
        if published is None:
            published = date_from_url(response.url, self.timezone)
        title = article_title(response, spec.title, response.meta.get("listing_title"))
        self.crawler.stats.inc_value("bulletins/articles_parsed")
        yield ArticleItem(
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
        )

    def broken(
        self, response: TextResponse | Response, headers: dict[str, str], error: str
    ) -> BrokenPageItem:
        self.record_error(response.url, error, kind="article")
        self.crawler.stats.inc_value("bulletins/empty_bodies")
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
        if self.source.encoding != "auto" and response.encoding != self.source.encoding:
            return response.replace(encoding=self.source.encoding)  # type: ignore[return-value]
        return response

    # --- failures -------------------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        kind = request.meta.get("kind", "page")
        response = getattr(failure.value, "response", None)
        if response is not None:
            message = f"HTTP {response.status}"
        else:
            message = f"{failure.type.__name__}: {failure.getErrorMessage()}"  # type: ignore[union-attr]
        self.record_error(request.url, message, kind=kind)

    def record_error(self, url: str, message: str, *, kind: str) -> None:
        self.logger.warning("%s page failed: %s: %s", kind, url, message)
        self.errors.append({"url": url, "error": message, "kind": kind})


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
