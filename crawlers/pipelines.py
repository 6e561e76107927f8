"""Item pipelines: everything the spider yields ends up in the database here.

The pipeline hands items to the writer process of the crawling process
(`crawlers.warm.shared_writer`: one for all the crawls of a warm worker, or of a
`bulletins crawl`), which hashes, deduplicates, extracts figures and writes, on
the other core. Whoever creates the crawler gives it the writer and the crawl's
id as attributes (``crawler.bulletins_writer``, ``crawler.bulletins_crawl_id``).
`close_spider` is a coroutine that waits for the writer's acknowledgement of
this crawl's items without blocking the reactor other crawls share, and adds the
writer's counts to the crawl's stats and the items it could not store to the
spider's failed pages; a crawl that yielded nothing (a quiet
poll) does not wait at all.

The writer can die (killed, out of memory, disk full). Every wait on it is
bounded and checks that it is alive; once it is gone the crawl is closed (there
is nowhere to store what it would fetch) with the cause in the stats, and the
items it would have stored are dropped.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from crawlers.warm.shared_writer import WriterClient, WriterDied

log = logging.getLogger(__name__)
#: How often a crawl looks for its writer while nothing is being stored.
WATCH_SECONDS = 0.5
WRITER_STOPPED = "writer_died"  # the spider's close reason


def add_failed_pages(crawler: Crawler, pages: list[dict[str, Any]]) -> None:
    """The writer's failed pages (with their codes) join the spider's, for the run's record."""
    errors = getattr(crawler.spider, "errors", None)
    if isinstance(errors, list):
        errors.extend(pages)


class StorePipeline:
    """Stores documents (deduplicated), broken pages, failures and listing validators."""

    def __init__(self, crawler: Crawler, writer: WriterClient, crawl_id: str) -> None:
        self.crawler = crawler
        self.writer = writer
        self.crawl_id = crawl_id
        self.items = 0
        self.watch = task.LoopingCall(self.check_writer)
        self.stopping = False

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

    def open_spider(self) -> None:
        self.watch.start(WATCH_SECONDS, now=False)

    def process_item(self, item: Any) -> Any:
        try:
            self.writer.put(self.crawl_id, item)
        except WriterDied as gone:
            self.check_writer()
            raise DropItem(f"not stored: {gone}") from None
        self.items += 1
        return item

    def check_writer(self) -> bool:
        """Whether the writer is alive; once it is not, stop the crawl (once)."""
        if self.writer.alive():
            return True
        if not self.stopping:
            self.stopping = True
            why = self.writer.gone()
            log.error("%s; stopping the crawl", why)
            stats = self.crawler.stats
            if stats is not None:
                stats.set_value("bulletins/writer_failure", why)
            engine = self.crawler.engine
            if engine is not None and engine.spider is not None and engine.running:
                deferred_from_coro(engine.close_spider_async(reason=WRITER_STOPPED))
        return False

    async def close_spider(self) -> None:
        if self.watch.running:
            self.watch.stop()
        stats = self.crawler.stats
        assert stats is not None
        if self.items:
            result = await self.writer.finish(self.crawl_id)
            for key, value in result["counts"].items():
                stats.inc_value(f"bulletins/{key}", value)
            add_failed_pages(self.crawler, result.get("failed_pages") or [])
            failure = result["failure"]
        else:
            failure = None
        failure = failure or stats.get_value("bulletins/writer_failure")
        if failure:
            log.error("the database writer failed: %s", failure)
            stats.set_value("bulletins/writer_failure", failure)
