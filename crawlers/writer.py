"""What the database writer process does with each item (`Writer.store`).

Parsing pages keeps the crawl's core busy; cleaning, hashing, extracting
figures and writing rows would otherwise compete with it for one interpreter, so
items go to a writer process (`crawlers.warm.shared_writer.serve`), which writes
them in batches, each item in its own savepoint so a bad item costs only itself.
Items arrive in the order the spider yielded them, so a listing page's
validators are written after its articles.
"""

from __future__ import annotations

import logging
from collections import Counter
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
