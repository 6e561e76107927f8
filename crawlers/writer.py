"""What the database writer process does with each item (`Writer.store`).

Parsing pages keeps the crawl's core busy; cleaning, hashing, extracting
figures and writing rows would otherwise compete with it for one interpreter, so
items go to a writer process (`crawlers.warm.shared_writer.serve`), which writes
them in batches, each item in its own savepoint so a bad item costs only itself: an
item that cannot be stored becomes a failed page of the run, with its code
(`storage.status`), and an article that cannot be stored a failed page to fetch again.
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
from storage.status import ErrorCode, classify, describe, page_error

log = logging.getLogger(__name__)
STOP = "stop"


class Writer:
    def __init__(self, db: Database, webhooks: list[WebhookConfig]) -> None:
        self.db = db
        self.webhooks = webhooks
        self.counts: Counter[str] = Counter()
        self.failed_pages: list[dict[str, Any]] = []

    def write(self, batch: list[Any]) -> None:
        kinds: Counter[str] = Counter()
        with self.db.session() as session, session.begin():
            for item in batch:
                kind, failed = self.store_safely(session, item)
                self.failed_pages.extend(failed)
                if kind:
                    kinds[kind] += 1
        self.counts.update(kinds)

    def store_safely(
        self, session: Session, item: Any
    ) -> tuple[str | None, list[dict[str, Any]]]:
        """Store one item in a savepoint: its kind, and the failed pages it makes."""
        failed: list[dict[str, Any]] = []
        try:
            with session.begin_nested():
                return self.store(session, item, failed), failed
        except Exception as exc:
            log.exception("storing %s failed", getattr(item, "url", item))
            return "store_failures", [self.failed(session, item, exc)]

    def failed(self, session: Session, item: Any, exc: Exception) -> dict[str, Any]:
        """An item that could not be stored, as a failed page (an article: to fetch again)."""
        code = classify(exc)
        if code == ErrorCode.ERROR:
            code = ErrorCode.STORE_ERROR
        message = describe(exc)
        url = str(getattr(item, "url", "?"))
        if isinstance(item, ArticleItem):
            try:
                with session.begin_nested():
                    record_failure(
                        session,
                        PageFailureItem(item.source_id, item.url, message, code, item.listed_url),
                    )
            except Exception:
                log.exception("recording the failure of %s failed", url)
        kind = "listing" if isinstance(item, ListingPageItem) else "article"
        return page_error(url, code, message, kind)

    def store(self, session: Session, item: Any, failed: list[dict[str, Any]]) -> str | None:
        if isinstance(item, ArticleItem):
            if item.failed_before:
                for url in {item.url, item.listed_url or item.url}:
                    repository.clear_page_failure(session, item.source_id, url)
            return ingest_article(session, item, self.webhooks, failed).kind
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
        code=item.code,
    )
    if item.listed_url and item.listed_url != item.url:
        repository.record_page_failure(
            session,
            source_id=item.source_id,
            url=item.listed_url,
            error=f"{item.error} (at {item.url}, where it redirects)",
            code=item.code,
        )
