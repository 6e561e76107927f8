"""The database writer: a process of its own beside each crawl.

Parsing pages keeps the crawl's core busy; cleaning, hashing, extracting
figures and writing rows would otherwise compete with it for one interpreter.
The pipeline hands items over a queue to this process, which writes them in
batches: up to `batch_size` items or `batch_seconds` per transaction, each item
in its own savepoint so a bad item costs only itself. Items arrive in the order
the spider yielded them, so a listing page's validators are written after its
articles. A writer whose crawl died finishes the items it holds and exits.
"""

from __future__ import annotations

import logging
import os
import queue
import time
from collections import Counter
from collections.abc import Sequence
from multiprocessing.queues import Queue
from typing import Any

from sqlalchemy.orm import Session

from alerts.config import WebhookConfig
from crawlers.ingest import ingest_article
from crawlers.items import ArticleItem, BrokenPageItem, ListingPageItem, PageFailureItem
from storage import articles, repository
from storage.articles import RawPageData
from storage.db import Database

log = logging.getLogger(__name__)
STOP = "stop"


def run_writer(
    database_url: str,
    webhooks: Sequence[WebhookConfig],
    items: Queue[Any],
    results: Queue[Any],
    parent_pid: int,
    batch_size: int = 50,
    batch_seconds: float = 0.3,
    log_level: int = logging.WARNING,
) -> None:
    logging.basicConfig(level=log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    db = Database(database_url)
    writer = Writer(db, list(webhooks))
    stopping = False
    try:
        while not stopping:
            try:
                first = items.get(timeout=1.0)
            except queue.Empty:
                if os.getppid() != parent_pid:  # the crawl is gone
                    break
                continue
            batch = [first]
            deadline = time.monotonic() + batch_seconds
            while len(batch) < batch_size:
                timeout = deadline - time.monotonic()
                if timeout <= 0:
                    break
                try:
                    batch.append(items.get(timeout=timeout))
                except queue.Empty:
                    break
            if STOP in batch:
                stopping = True
                batch = [item for item in batch if item != STOP]
            if batch:
                writer.write(batch)
    except Exception as exc:  # the database itself failed
        log.exception("the database writer stopped")
        writer.counts["store_failures"] += 1
        results.put({"counts": dict(writer.counts), "failure": repr(exc)})
        return
    finally:
        db.dispose()
    results.put({"counts": dict(writer.counts), "failure": None})


class Writer:
    def __init__(self, db: Database, webhooks: list[WebhookConfig]) -> None:
        self.db = db
        self.webhooks = webhooks
        self.counts: Counter[str] = Counter()

    def write(self, batch: list[Any]) -> None:
        kinds: Counter[str] = Counter()
        with self.db.session() as session, session.begin():
            for item in batch:
                try:
                    with session.begin_nested():
                        kind = self.store(session, item)
                except Exception:
                    log.exception("storing %s failed", getattr(item, "url", item))
                    kinds["store_failures"] += 1
                    continue
                if kind:
                    kinds[kind] += 1
        self.counts.update(kinds)

    def store(self, session: Session, item: Any) -> str | None:
        if isinstance(item, ArticleItem):
            if item.failed_before:
                for url in {item.url, item.listed_url or item.url}:
                    repository.clear_page_failure(session, item.source_id, url)
            return ingest_article(session, item, self.webhooks).kind
        if isinstance(item, PageFailureItem):
            record_failure(session, item)
            return None
        if isinstance(item, BrokenPageItem):
            articles.archive_page(
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


def record_failure(session: Session, item: PageFailureItem) -> None:
    """The failure under the failed page's URL and, if a redirect led there, under the
    listed URL too: the listing names that one, and it must wait for its retry."""
    repository.record_page_failure(
        session,
        source_id=item.source_id,
        url=item.url,
        error=item.error,
        permanent=item.permanent,
    )
    if item.listed_url and item.listed_url != item.url:
        repository.record_page_failure(
            session,
            source_id=item.source_id,
            url=item.listed_url,
            error=f"{item.error} (at {item.url}, where it redirects)",
            permanent=item.permanent,
        )
