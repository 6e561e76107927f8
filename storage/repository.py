"""Data functions for sources and the crawling state (listing pages, failed pages).
`storage.runs` writes crawl runs; `storage.articles` stores raw pages, documents and
figures. Each takes a `session`; the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage.inserts import insert_ignore
from storage.listed_urls import listed_urls
from storage.models import (
    Document,
    ListingPage,
    PageFailure,
    Sighting,
    Source,
    utcnow,
)
from storage.status import ErrorCode, http_code


def upsert_source(session: Session, config: Mapping[str, Any]) -> None:
    """Create or refresh a source row from its config."""
    values = {
        "id": config["id"],
        "name": config.get("name", config["id"]),
        "agency": config.get("agency", ""),
        "level": config.get("level", "provincial"),
        "region": config.get("region", ""),
        "language": config.get("language", "zh"),
        "config": dict(config),
    }
    if not insert_ignore(session, Source.__table__, values, ["id"]):  # type: ignore[arg-type]
        changes = {k: v for k, v in values.items() if k != "id"}
        session.execute(update(Source).where(Source.id == config["id"]).values(**changes))


# --- crawling state ---------------------------------------------------------


def known_article_urls(session: Session, source_id: str) -> set[str]:
    """The URLs the source stored a document at, and the listed URLs that led there."""
    rows = session.execute(select(Sighting.url).where(Sighting.source_id == source_id))
    # A page kept as broken has no sighting, so it is fetched again: it may be fixed.
    return {url for (url,) in rows} | listed_urls(session, source_id)


def listing_states(session: Session, source_id: str) -> dict[str, ListingPage]:
    rows = session.scalars(select(ListingPage).where(ListingPage.source_id == source_id))
    return {row.url: row for row in rows}


def save_listing_page(
    session: Session,
    *,
    source_id: str,
    url: str,
    etag: str | None,
    last_modified: str | None,
    next_url: str | None,
    items: int,
) -> None:
    row = session.get(ListingPage, (source_id, url))
    if row is None:
        session.add(
            ListingPage(
                url=url,
                source_id=source_id,
                etag=etag,
                last_modified=last_modified,
                next_url=next_url,
                items=items,
            )
        )
    else:
        row.etag, row.last_modified, row.next_url = etag, last_modified, next_url
        row.items, row.parsed_at = items, utcnow()


#: A transiently failing article is tried again after these delays, then given up.
RETRY_DELAYS = (timedelta(hours=1), timedelta(hours=6), timedelta(days=1))
#: Failures on our side, not the page's (an incomplete install, the database): the
#: page is fetched again at the next crawl, however often it failed.
RETRY_AT_ONCE = frozenset({ErrorCode.DEPENDENCY_MISSING, ErrorCode.STORE_ERROR})
#: Failures fetching again will not mend, so never fetched again: a page gone (404,
#: 410), a file rather than a page (a declared PDF or image type will not become HTML).
NEVER_AGAIN = frozenset({http_code(404), http_code(410), ErrorCode.NOT_HTML})


def record_page_failure(
    session: Session,
    *,
    source_id: str,
    url: str,
    error: str,
    code: str = ErrorCode.ERROR,
) -> None:
    """Note a failed article URL with its code (storage.status) and message, and when
    it is due again: its code decides (`RETRY_DELAYS`, `RETRY_AT_ONCE`, `NEVER_AGAIN`)."""
    row = session.get(PageFailure, (source_id, url))
    now = utcnow()
    if row is None:
        row = PageFailure(source_id=source_id, url=url, attempts=0)
        session.add(row)
    row.attempts = (row.attempts or 0) + 1
    row.permanent = str(code) in NEVER_AGAIN
    row.last_error, row.failed_at, row.code = error, now, str(code)
    delays = RETRY_DELAYS
    if code in RETRY_AT_ONCE:
        row.retry_at = now
    elif row.permanent or row.attempts > len(delays):
        row.retry_at = None
    else:
        row.retry_at = now + delays[row.attempts - 1]


def clear_page_failure(session: Session, source_id: str, url: str) -> None:
    session.execute(
        delete(PageFailure).where(PageFailure.source_id == source_id, PageFailure.url == url)
    )


def page_failures(session: Session, source_id: str) -> dict[str, datetime | None]:
    """Failed article URLs of a source and when each is due again (None: never)."""
    rows = session.execute(
        select(PageFailure.url, PageFailure.retry_at).where(PageFailure.source_id == source_id)
    )
    return {url: retry_at for url, retry_at in rows}


# --- documents (storing them: storage.articles) -------------------------


def list_documents(
    session: Session,
    *,
    source: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
) -> list[Document]:
    query = select(Document).order_by(Document.published_at.desc().nulls_last(), Document.id.desc())
    if source:
        query = query.where(
            Document.id.in_(select(Sighting.document_id).where(Sighting.source_id == source))
        )
    if since:
        query = query.where(Document.created_at >= since)
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


# Crawl runs: storage.runs.
