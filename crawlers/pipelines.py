"""Item pipelines: everything the spider yields ends up in the database here.

The pipeline only hands items to the crawl's writer process
(`crawlers.writer`), which cleans nothing the spider has not, but hashes,
deduplicates, extracts figures and writes, on the other core. On close it waits
for the writer to finish and adds the writer's counts to the crawl's stats.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
from typing import Any

from scrapy.crawler import Crawler

from crawlers.writer import STOP, run_writer

log = logging.getLogger(__name__)
# A fresh interpreter: forking a process that runs a reactor and holds
# database connections is not safe.
_CONTEXT = multiprocessing.get_context("spawn")


def add_failed_pages(crawler: Crawler, pages: list[dict[str, Any]]) -> None:
    """The writer's failed pages join the spider's, for the run's record."""
    errors = getattr(crawler.spider, "errors", None)
    if isinstance(errors, list):
        errors.extend(pages)


class StorePipeline:
    """Stores documents (deduplicated), broken pages, failures and listing validators."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.items: Any = _CONTEXT.Queue(maxsize=1000)
        self.results: Any = _CONTEXT.Queue()
        self.process = _CONTEXT.Process(
            target=run_writer,
            name="bulletins-writer",
            args=(
                settings["BULLETINS_DATABASE_URL"],
                list(settings.get("BULLETINS_WEBHOOKS") or []),
                self.items,
                self.results,
                os.getpid(),
                settings.getint("BULLETINS_BATCH_SIZE", 50),
                settings.getfloat("BULLETINS_BATCH_SECONDS", 0.3),
                logging.getLogger().getEffectiveLevel(),
            ),
            daemon=True,
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.process.start()

    def process_item(self, item: Any) -> Any:
        if not self.process.is_alive():
            raise RuntimeError("the database writer stopped; see the log above")
        self.items.put(item)
        return item

    def close_spider(self) -> None:
        stats = self.crawler.stats
        assert stats is not None
        if self.process.is_alive():
            self.items.put(STOP)
        result = None
        while result is None:
            try:
                result = self.results.get(timeout=1.0)
            except queue.Empty:
                if not self.process.is_alive():
                    result = {"counts": {}, "failure": "the database writer died"}
        self.process.join(timeout=30)
        for key, value in result["counts"].items():
            stats.inc_value(f"bulletins/{key}", value)
        add_failed_pages(self.crawler, result.get("failed_pages") or [])
        if result["failure"]:
            log.error("the database writer failed: %s", result["failure"])
            stats.set_value("bulletins/writer_failure", result["failure"])
