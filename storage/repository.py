"""Data functions. Each takes a `session`; the caller owns the transaction.

Writers that create identities (documents, sightings, figures) insert with
ON CONFLICT DO NOTHING and then read, so two processes storing the same release
at once end with one row, never an error or a duplicate.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import Table, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import (
    CrawlRun,
    Document,
    Figure,
    ListingPage,
    RawPage,
    Sighting,
    Source,
    utcnow,
)


def insert_ignore(
    session: Session, table: Table, values: Mapping[str, Any], conflict: Sequence[str]
) -> bool:
    """INSERT … ON CONFLICT (conflict) DO NOTHING; True when a row was inserted."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    key = next(iter(table.primary_key.columns))
    stmt = (
        module.insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=conflict)
        .returning(key)
    )
    # rowcount is unreliable here across drivers; RETURNING says what happened.
    return session.execute(stmt).first() is not None


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
    rows = session.execute(select(Sighting.url).where(Sighting.source_id == source_id))
    # A page kept as broken has no sighting, so it is fetched again: it may be fixed.
    return {url for (url,) in rows}


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
    row = session.get(ListingPage, url)
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


# --- documents ----------------------------------------------------------------


@dataclass(frozen=True)
class RawPageData:
    url: str
    body: bytes
    status: int = 200
    headers: Mapping[str, str] | None = None
    encoding: str | None = None


StoreKind = Literal["new", "version", "duplicate", "repost"]


@dataclass(frozen=True)
class StoreResult:
    kind: StoreKind
    document: Document
    previous: Document | None = None

    @property
    def is_new_content(self) -> bool:
        return self.kind in ("new", "version")


def archive_page(
    session: Session,
    source_id: str,
    raw: RawPageData,
    *,
    document_id: int | None = None,
    error: str | None = None,
) -> RawPage:
    page = RawPage(
        source_id=source_id,
        url=raw.url,
        status=raw.status,
        headers=dict(raw.headers or {}),
        encoding=raw.encoding,
        body=zlib.compress(raw.body, 6),
        document_id=document_id,
        error=error,
    )
    session.add(page)
    return page


def raw_page_body(page: RawPage) -> bytes:
    return zlib.decompress(page.body)


def _add_sighting(session: Session, document_id: int, source_id: str, url: str) -> bool:
    now = utcnow()
    inserted = insert_ignore(
        session,
        Sighting.__table__,  # type: ignore[arg-type]
        {
            "document_id": document_id,
            "source_id": source_id,
            "url": url,
            "first_seen": now,
            "last_seen": now,
            "current": True,
        },
        ["document_id", "url"],
    )
    if not inserted:
        session.execute(
            update(Sighting)
            .where(Sighting.document_id == document_id, Sighting.url == url)
            .values(last_seen=now, current=True)
        )
    return inserted


def _current_document_at(session: Session, source_id: str, url: str) -> Document | None:
    return session.scalars(
        select(Document)
        .join(Sighting, Sighting.document_id == Document.id)
        .where(Sighting.url == url, Sighting.source_id == source_id, Sighting.current.is_(True))
        .order_by(Document.id.desc())
        .limit(1)
    ).first()


def store_article(
    session: Session,
    *,
    source_id: str,
    url: str,
    title: str,
    published_at: datetime | None,
    language: str,
    text: str,
    content_hash: str,
    raw: RawPageData | None = None,
) -> StoreResult:
    """Store one fetched article: a new document, a new version, or a sighting."""
    before = _current_document_at(session, source_id, url)
    inserted = insert_ignore(
        session,
        Document.__table__,  # type: ignore[arg-type]
        {
            "content_hash": content_hash,
            "source_id": source_id,
            "url": url,
            "title": title,
            "published_at": published_at,
            "language": language,
            "text": text,
            "previous_id": before.id if before and before.content_hash != content_hash else None,
            "created_at": utcnow(),
        },
        ["content_hash"],
    )
    document = session.scalars(select(Document).where(Document.content_hash == content_hash)).one()
    kind: StoreKind
    previous = None
    if inserted:
        if before is not None and before.id != document.id:
            kind, previous = "version", before
            session.execute(
                update(Sighting)
                .where(Sighting.url == url, Sighting.document_id == before.id)
                .values(current=False)
            )
        else:
            kind = "new"
        _add_sighting(session, document.id, source_id, url)
    else:
        kind = "repost" if _add_sighting(session, document.id, source_id, url) else "duplicate"
    if raw is not None:
        archive_page(session, source_id, raw, document_id=document.id)
    session.flush()
    return StoreResult(kind=kind, document=document, previous=previous)


def store_figures(
    session: Session,
    document: Document,
    figures: Iterable[Mapping[str, Any]],
    extractor_version: int,
) -> list[Figure]:
    """Store a document's figures once each (unique per document and span)."""
    for fig in figures:
        insert_ignore(
            session,
            Figure.__table__,  # type: ignore[arg-type]
            {
                "document_id": document.id,
                "source_id": document.source_id,
                "text": fig["text"],
                "start": fig["start"],
                "end": fig["end"],
                "value": Decimal(str(fig["value"])),
                "unit": fig["unit"],
                "qualifier": fig["qualifier"],
                "metric": fig["metric"],
                "topic": fig.get("topic"),
                "extractor_version": extractor_version,
                "created_at": utcnow(),
            },
            ["document_id", "start", "end"],
        )
    document.extractor_version = extractor_version
    session.flush()
    stored = list(
        session.scalars(
            select(Figure).where(Figure.document_id == document.id).order_by(Figure.start)
        )
    )
    if stored and document.topic is None:
        document.topic = stored[0].topic
    return stored


def document_figures(session: Session, document_id: int) -> list[Figure]:
    return list(
        session.scalars(
            select(Figure).where(Figure.document_id == document_id).order_by(Figure.start)
        )
    )


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


# --- crawl runs ---------------------------------------------------------------


def start_run(session: Session, source_id: str, pid: int | None = None) -> CrawlRun:
    run = CrawlRun(source_id=source_id, pid=pid, status="running", started_at=utcnow())
    session.add(run)
    session.flush()
    return run


def finish_run(session: Session, run_id: int, **values: Any) -> None:
    values.setdefault("finished_at", utcnow())
    session.execute(update(CrawlRun).where(CrawlRun.id == run_id).values(**values))


def mark_abandoned_runs(session: Session, source_id: str, is_alive: Callable[[int], bool]) -> int:
    """Runs still 'running' whose process is gone were killed: say so."""
    rows = session.scalars(
        select(CrawlRun).where(CrawlRun.source_id == source_id, CrawlRun.status == "running")
    )
    count = 0
    for run in rows:
        if run.pid is None or not is_alive(run.pid):
            run.status, run.reason = "killed", "the crawl process ended without finishing"
            run.finished_at = run.finished_at or utcnow()
            count += 1
    return count


def last_runs(session: Session, source_id: str, limit: int = 20) -> list[CrawlRun]:
    return list(
        session.scalars(
            select(CrawlRun)
            .where(CrawlRun.source_id == source_id)
            .order_by(CrawlRun.id.desc())
            .limit(limit)
        )
    )


def count_documents(session: Session) -> int:
    return int(session.scalar(select(func.count(Document.id))) or 0)
