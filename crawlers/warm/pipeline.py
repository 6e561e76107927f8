"""The item pipeline of a crawl in a warm worker: items go to the worker's shared writer.

The worker hands the crawler its `WriterClient` and the crawl's id as attributes
(``crawler.bulletins_writer``, ``crawler.bulletins_crawl_id``) before the crawl
starts. `close_spider` is a coroutine that waits for the writer's
acknowledgement without blocking the reactor the other crawls share; a crawl
that yielded nothing (a quiet poll) does not wait at all.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler

from crawlers.pipelines import add_failed_pages
from crawlers.warm.shared_writer import WriterClient

log = logging.getLogger(__name__)


class SharedWriterPipeline:
    def __init__(self, crawler: Crawler, writer: WriterClient, crawl_id: str) -> None:
        self.crawler = crawler
        self.writer = writer
        self.crawl_id = crawl_id
        self.items = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedWriterPipeline:
        writer = getattr(crawler, "bulletins_writer", None)
        crawl_id = getattr(crawler, "bulletins_crawl_id", None)
        if not isinstance(writer, WriterClient) or not crawl_id:
            # Never switch storage off quietly: a crawl that cannot store must not run.
            raise RuntimeError("SharedWriterPipeline runs only in a warm worker's crawler")
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
        add_failed_pages(self.crawler, result.get("failed_pages") or [])
        if result["failure"]:
            log.error("the database writer failed: %s", result["failure"])
            stats.set_value("bulletins/writer_failure", result["failure"])
