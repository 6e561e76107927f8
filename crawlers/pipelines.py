"""Item pipelines: everything the spider yields ends up in the database here.

The pipeline hands items to the writer process of the crawling process
(`crawlers.warm.shared_writer`: one for all the crawls of a warm worker, or of a
`bulletins crawl`), which hashes, deduplicates, extracts figures and writes, on
the other core. Whoever creates the crawler gives it the writer and the crawl's
id as attributes (``crawler.bulletins_writer``, ``crawler.bulletins_crawl_id``).
`close_spider` is a coroutine that waits for the writer's acknowledgement of
this crawl's items without blocking the reactor other crawls share, and adds the
writer's counts to the crawl's stats; a crawl that yielded nothing (a quiet
poll) does not wait at all.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler

from crawlers.warm.shared_writer import WriterClient

log = logging.getLogger(__name__)


class StorePipeline:
    """Stores documents (deduplicated), broken pages, failures and listing validators."""

    def __init__(self, crawler: Crawler, writer: WriterClient, crawl_id: str) -> None:
        self.crawler = crawler
        self.writer = writer
        self.crawl_id = crawl_id
        self.items = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        writer = getattr(crawler, "bulletins_writer", None)
        crawl_id = getattr(crawler, "bulletins_crawl_id", None)
        if not isinstance(writer, WriterClient) or not crawl_id:
            # Never switch storage off quietly: a crawl that cannot store must not run.
            raise RuntimeError(
                "StorePipeline needs the process's writer: crawler.bulletins_writer and "
                "crawler.bulletins_crawl_id (see crawlers.runner.run_crawls)"
            )
        return cls(crawler, writer, str(crawl_id))

    def process_item(self, item: Any) -> Any:
        self.writer.put(self.crawl_id, item)
        self.items += 1
        return item

    async def close_spider(self) -> None:
        if not self.items:
            return
        result = await self.writer.finish(self.crawl_id)
        stats = self.crawler.stats
        assert stats is not None
        for key, value in result["counts"].items():
            stats.inc_value(f"bulletins/{key}", value)
        if result["failure"]:
            log.error("the database writer failed: %s", result["failure"])
            stats.set_value("bulletins/writer_failure", result["failure"])
