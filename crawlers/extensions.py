"""The crawl-run recorder: one `crawl_runs` row per spider run, opened when the
spider opens and closed with its figures (requests, new, duplicates, failed pages
with their codes, detection's warnings) and its verdict (`storage.runs.verdict`)."""

from __future__ import annotations

import os

import psutil
from scrapy import signals
from scrapy.crawler import Crawler

from crawlers.spiders.bulletin import BulletinSpider
from crawlers.store import database
from storage import repository, runs

#: Failed pages and warnings kept on a run row.
MAX_RECORDED = 500


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
            runs.abandon_runs(session, source.id, _alive)
            pid = os.getpid()
            spider.run_id = runs.open_run(session, source.id, pid, runs.worker_name(pid)).id

    def spider_closed(self, spider: BulletinSpider, reason: str) -> None:
        stats = self.crawler.stats
        assert stats is not None

        def count(key: str) -> int:
            return int(stats.get_value(key, 0) or 0)

        stored = sum(count(f"bulletins/{k}") for k in ("new", "version", "duplicate", "repost"))
        writer_failure = stats.get_value("bulletins/writer_failure")
        status, why = runs.verdict(
            runs.CrawlResult(
                errors=spider.errors,
                listing_ok=spider.listing_ok,
                stored=stored,
                stopped=None if reason == "finished" else reason,
                store_failure=str(writer_failure) if writer_failure else None,
            )
        )
        assert spider.run_id is not None
        with self.db.session() as session, session.begin():
            runs.finish_run(
                session,
                spider.run_id,
                status,
                why,
                requests=count("downloader/request_count"),
                listing_pages=count("bulletins/listing_pages"),
                listing_items=spider.listing_items,
                articles_fetched=count("bulletins/articles_parsed")
                + count("bulletins/empty_bodies"),
                new_documents=count("bulletins/new"),
                new_versions=count("bulletins/version"),
                duplicates=count("bulletins/duplicate") + count("bulletins/repost"),
                empty_bodies=count("bulletins/empty_bodies"),
                errors=spider.errors[:MAX_RECORDED],
                listing_detected=count("bulletins/listing_detected"),
                warnings=list(getattr(spider, "listing_warnings", []))[:MAX_RECORDED],
            )


def _alive(pid: int) -> bool:
    return pid == os.getpid() or psutil.pid_exists(pid)
