"""The crawl-run recorder: one `crawl_runs` row per spider run, opened when the
spider opens and closed with its figures (requests, new, duplicates, errors)."""

from __future__ import annotations

import os
import socket

import psutil
from scrapy import signals
from scrapy.crawler import Crawler

from crawlers.spiders.bulletin import BulletinSpider
from crawlers.store import database
from storage import repository


class CrawlRunRecorder:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db = database(crawler.settings["BULLETINS_DATABASE_URL"])

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunRecorder:
        recorder = cls(crawler)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def spider_opened(self, spider: BulletinSpider) -> None:
        source = spider.source
        with self.db.session() as session, session.begin():
            repository.upsert_source(session, source.model_dump(mode="json"))
            repository.mark_abandoned_runs(session, source.id, _alive)
            run = repository.start_run(session, source.id, pid=os.getpid())
            run.worker = f"{socket.gethostname()}:{os.getpid()}"  # where it ran
            spider.run_id = run.id

    def spider_closed(self, spider: BulletinSpider, reason: str) -> None:
        stats = self.crawler.stats
        assert stats is not None

        def count(key: str) -> int:
            return int(stats.get_value(key, 0) or 0)

        listing_errors = [e for e in spider.errors if e["kind"] == "listing"]
        writer_failure = stats.get_value("bulletins/writer_failure")
        if writer_failure:
            status, why = "failed", f"storing failed: {writer_failure}"
        elif reason != "finished":
            status, why = "failed", f"the crawl stopped early: {reason}"
        elif spider.listing_ok == 0:
            first = listing_errors[0] if listing_errors else None
            why = f"{first['url']}: {first['error']}" if first else "no listing page could be read"
            status = "failed"
        elif spider.errors:
            status, why = "partial", f"{len(spider.errors)} page(s) failed"
        else:
            status, why = "ok", None
        assert spider.run_id is not None
        with self.db.session() as session, session.begin():
            repository.finish_run(
                session,
                spider.run_id,
                status=status,
                reason=why,
                requests=count("downloader/request_count"),
                listing_pages=count("bulletins/listing_pages"),
                listing_items=spider.listing_items,
                articles_fetched=count("bulletins/articles_parsed")
                + count("bulletins/empty_bodies"),
                new_documents=count("bulletins/new"),
                new_versions=count("bulletins/version"),
                duplicates=count("bulletins/duplicate") + count("bulletins/repost"),
                empty_bodies=count("bulletins/empty_bodies"),
                errors=spider.errors[:500],
            )


def _alive(pid: int) -> bool:
    return pid == os.getpid() or psutil.pid_exists(pid)
