"""Item pipelines: everything the spider yields ends up in the database here.

The pipeline only hands items to the crawl's writer process
(`crawlers.writer`), which cleans nothing the spider has not, but hashes,
deduplicates, extracts figures and writes, on the other core. On close it waits
for the writer to finish and adds the writer's counts to the crawl's stats.

The writer can die (killed, out of memory, disk full). Every wait on it is
bounded and checks that it is alive; once it is gone the crawl is closed (there
is nowhere to store what it would fetch) and the items still queued for it are
dropped, so this process can exit: a queue's feeder thread blocked on a pipe
nobody reads would otherwise hold the exit for ever.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from crawlers.writer import STOP, run_writer

log = logging.getLogger(__name__)
# A fresh interpreter: forking a process that runs a reactor and holds
# database connections is not safe.
_CONTEXT = multiprocessing.get_context("spawn")
#: How often the crawl looks for its writer while nothing is being stored.
WATCH_SECONDS = 0.5
#: The longest one wait on the writer (a put, a result) lasts before it is checked again.
WAIT_SECONDS = 1.0
WRITER_STOPPED = "writer_died"  # the spider's close reason


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
        self.watch = task.LoopingCall(self.check_writer)
        self.stopping = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.process.start()
        self.watch.start(WATCH_SECONDS, now=False)

    def process_item(self, item: Any) -> Any:
        if not self.hand_over(item):
            raise DropItem(f"not stored: {self.writer_gone()}")
        return item

    def hand_over(self, item: Any) -> bool:
        """Queue `item` for the writer, waiting while it is behind; False once it is gone."""
        while self.check_writer():
            try:
                self.items.put(item, timeout=WAIT_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def check_writer(self) -> bool:
        """Whether the writer is alive; once it is not, stop the crawl (once)."""
        if self.process.is_alive():
            return True
        if not self.stopping:
            self.stopping = True
            log.error("%s; stopping the crawl", self.writer_gone())
            stats = self.crawler.stats
            if stats is not None:
                stats.set_value("bulletins/writer_failure", self.writer_gone())
            engine = self.crawler.engine
            if engine is not None and engine.spider is not None and engine.running:
                deferred_from_coro(engine.close_spider_async(reason=WRITER_STOPPED))
        return False

    def writer_gone(self) -> str:
        code = self.process.exitcode
        if code is None or code == 0:
            return "the database writer stopped"
        if code < 0:
            return f"the database writer died (killed by signal {-code})"
        return f"the database writer died (exit status {code})"

    def close_spider(self) -> None:
        stats = self.crawler.stats
        assert stats is not None
        if self.watch.running:
            self.watch.stop()
        result = None
        if self.hand_over(STOP):
            while result is None:
                try:
                    result = self.results.get(timeout=WAIT_SECONDS)
                except queue.Empty:
                    if not self.process.is_alive():
                        break
        if result is None:
            try:  # a writer that failed reports why before it exits
                result = self.results.get(timeout=WAIT_SECONDS)
            except (queue.Empty, EOFError, OSError):
                result = {"counts": {}, "failure": self.writer_gone()}
        self.process.join(timeout=30)
        self.release_queues()
        for key, value in result["counts"].items():
            stats.inc_value(f"bulletins/{key}", value)
        add_failed_pages(self.crawler, result.get("failed_pages") or [])
        failure = result["failure"] or stats.get_value("bulletins/writer_failure")
        if failure:
            log.error("the database writer failed: %s", failure)
            stats.set_value("bulletins/writer_failure", failure)

    def release_queues(self) -> None:
        """Let this process exit even if items were left for a writer that is gone."""
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        for q in (self.items, self.results):
            q.cancel_join_thread()
            q.close()
