"""Item pipelines: everything the spider yields ends up in the database here."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from crawlers.ingest import ingest_article
from crawlers.items import ArticleItem, BrokenPageItem, ListingPageItem
from crawlers.store import database
from storage import repository
from storage.repository import RawPageData


class StorePipeline:
    """Stores documents (deduplicated), broken pages and listing validators."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db = database(crawler.settings["BULLETINS_DATABASE_URL"])
        self.webhooks = list(crawler.settings.get("BULLETINS_WEBHOOKS") or [])

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        stats = self.crawler.stats
        assert stats is not None
        with self.db.session() as session, session.begin():
            if isinstance(item, ArticleItem):
                result = ingest_article(session, item, self.webhooks)
                stats.inc_value(f"bulletins/{result.kind}")
            elif isinstance(item, BrokenPageItem):
                repository.archive_page(
                    session,
                    item.source_id,
                    RawPageData(
                        url=item.url,
                        body=item.body,
                        status=item.status,
                        headers=item.headers,
                        encoding=item.encoding,
                    ),
                    error=item.error,
                )
            elif isinstance(item, ListingPageItem):
                repository.save_listing_page(
                    session,
                    source_id=item.source_id,
                    url=item.url,
                    etag=item.etag,
                    last_modified=item.last_modified,
                    next_url=item.next_url,
                    items=item.items,
                )
        return item
