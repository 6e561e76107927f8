"""Item pipelines: everything the spider yields ends up in the database here.

Items are written by one writer thread, in batches: up to `BULLETINS_BATCH_SIZE`
items or `BULLETINS_BATCH_SECONDS` per transaction, each item inside its own
savepoint so one bad item costs only itself. Each document's rows (document,
sighting, raw page, figures, alerts) are written together, and a listing page's
validators only after its articles (the spider yields them in that order), so a
process killed at any point loses only what it had not committed, and a re-run
fetches exactly that again. SQLite and the network both release the GIL, so the
writer overlaps with the crawl instead of stalling it.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter
from typing import Any

from scrapy.crawler import Crawler
from sqlalchemy.orm import Session

from crawlers.ingest import ingest_article
from crawlers.items import ArticleItem, BrokenPageItem, ListingPageItem, PageFailureItem
from crawlers.store import database
from storage import repository
from storage.repository import RawPageData

log = logging.getLogger(__name__)
_STOP = object()


class StorePipeline:
    """Stores documents (deduplicated), broken pages and listing validators."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.db = database(settings["BULLETINS_DATABASE_URL"])
        self.webhooks = list(settings.get("BULLETINS_WEBHOOKS") or [])
        self.batch_size = settings.getint("BULLETINS_BATCH_SIZE", 50)
        self.batch_seconds = settings.getfloat("BULLETINS_BATCH_SECONDS", 0.3)
        self.queue: queue.Queue[Any] = queue.Queue(maxsize=1000)
        self.counts: Counter[str] = Counter()
        self.failure: BaseException | None = None
        self.writer = threading.Thread(target=self._write_loop, name="store-writer", daemon=True)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.writer.start()

    def process_item(self, item: Any) -> Any:
        if self.failure is not None:
            raise RuntimeError("the database writer stopped") from self.failure
        self.queue.put(item)
        return item

    def close_spider(self) -> None:
        self.queue.put(_STOP)
        self.writer.join()
        stats = self.crawler.stats
        assert stats is not None
        for key, value in self.counts.items():
            stats.inc_value(f"bulletins/{key}", value)

    # --- the writer thread ----------------------------------------------------

    def _write_loop(self) -> None:
        stopping = False
        while not stopping:
            batch = [self.queue.get()]
            deadline = time.monotonic() + self.batch_seconds
            while len(batch) < self.batch_size:
                timeout = deadline - time.monotonic()
                if timeout <= 0:
                    break
                try:
                    batch.append(self.queue.get(timeout=timeout))
                except queue.Empty:
                    break
            if _STOP in batch:
                stopping = True
                batch = [item for item in batch if item is not _STOP]
            if batch:
                try:
                    self._write(batch)
                except Exception as exc:  # the database itself failed: stop cleanly
                    log.exception("storing a batch of %d items failed", len(batch))
                    self.failure = exc
                    self.counts["store_failures"] += len(batch)

    def _write(self, batch: list[Any]) -> None:
        kinds: Counter[str] = Counter()
        with self.db.session() as session, session.begin():
            for item in batch:
                try:
                    with session.begin_nested():
                        kind = self._store(session, item)
                except Exception:
                    log.exception("storing %s failed", getattr(item, "url", item))
                    kinds["store_failures"] += 1
                    continue
                if kind:
                    kinds[kind] += 1
        self.counts.update(kinds)

    def _store(self, session: Session, item: Any) -> str | None:
        if isinstance(item, ArticleItem):
            if item.failed_before:
                repository.clear_page_failure(session, item.source_id, item.url)
            return ingest_article(session, item, self.webhooks).kind
        if isinstance(item, PageFailureItem):
            repository.record_page_failure(
                session,
                source_id=item.source_id,
                url=item.url,
                error=item.error,
                permanent=item.permanent,
            )
            return None
        if isinstance(item, BrokenPageItem):
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
            return "broken"
        if isinstance(item, ListingPageItem):
            repository.save_listing_page(
                session,
                source_id=item.source_id,
                url=item.url,
                etag=item.etag,
                last_modified=item.last_modified,
                next_url=item.next_url,
                items=item.items,
            )
        return None
