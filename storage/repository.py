"""Data functions. Each takes a `session`; the caller owns the transaction.

Writers that create identities (documents, sightings, figures) insert with
ON CONFLICT DO NOTHING and then read, so two processes storing the same release
at once end with one row, never an error or a duplicate.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import Table, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.listed_urls import listed_urls
from storage.models import (
    CrawlRun,
    Document,
    Figure,
    ListingPage,
    PageFailure,
    RawPage,
    Sighting,
    Source,
    utcnow,
)


@lru_cache(maxsize=64)
def _insert_ignore_statement(
    dialect: str, table: Table, conflict: tuple[str, ...], returning: bool
) -> Any:
    module = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(table).on_conflict_do_nothing(index_elements=list(conflict))
    if returning:
        stmt = stmt.returning(next(iter(table.primary_key.columns)))
    return stmt


def insert_ignore(
    session: Session,
    table: Table,
    values: Mapping[str, Any],
    conflict: Sequence[str],
    *,
    returning: bool = False,
) -> Any:
    """INSERT … ON CONFLICT (conflict) DO NOTHING.

    Returns whether a row was inserted, or with `returning` its primary key (None
    when the row existed already). The statement is built once per table and
    executed with parameters: this runs for every article and figure.
    """
    dialect = session.get_bind().dialect.name
    # rowcount is unreliable here across drivers; RETURNING says what happened.
    stmt = _insert_ignore_statement(dialect, table, tuple(conflict), True)
    row = session.execute(stmt, dict(values)).first()
    if returning:
        return row[0] if row is not None else None
    return row is not None


def insert_many_ignore(
    session: Session, table: Table, rows: Sequence[Mapping[str, Any]], conflict: Sequence[str]
) -> None:
    """INSERT … ON CONFLICT DO NOTHING for many rows (one executemany)."""
    if rows:
        dialect = session.get_bind().dialect.name
        stmt = _insert_ignore_statement(dialect, table, tuple(conflict), False)
        session.execute(stmt, [dict(row) for row in rows])


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


def record_page_failure(
    session: Session, *, source_id: str, url: str, error: str, permanent: bool
) -> None:
    row = session.get(PageFailure, (source_id, url))
    now = utcnow()
    if row is None:
        row = PageFailure(source_id=source_id, url=url, attempts=0)
        session.add(row)
    row.attempts = (row.attempts or 0) + 1
    row.last_error, row.permanent, row.failed_at = error, permanent, now
    delays = RETRY_DELAYS
    row.retry_at = (
        None if permanent or row.attempts > len(delays) else now + delays[row.attempts - 1]
    )


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
    document_id: int
    previous_id: int | None
    session: Session

    @property
    def is_new_content(self) -> bool:
        return self.kind in ("new", "version")

    @property
    def document(self) -> Document:
        document = self.session.get(Document, self.document_id)
        assert document is not None
        return document

    @property
    def previous(self) -> Document | None:
        return self.session.get(Document, self.previous_id) if self.previous_id else None


def archive_page(
    session: Session,
    source_id: str,
    raw: RawPageData,
    *,
    document_id: int | None = None,
    error: str | None = None,
) -> None:
    session.execute(
        RawPage.__table__.insert(),  # type: ignore[attr-defined]
        dict(
            source_id=source_id,
            url=raw.url,
            status=raw.status,
            headers=dict(raw.headers or {}),
            encoding=raw.encoding,
            body=zlib.compress(raw.body, 6),
            document_id=document_id,
            error=error,
            fetched_at=utcnow(),
        ),
    )


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
        ["document_id", "source_id", "url"],
    )
    if not inserted:
        session.execute(
            update(Sighting)
            .where(
                Sighting.document_id == document_id,
                Sighting.source_id == source_id,
                Sighting.url == url,
            )
            .values(last_seen=now, current=True)
        )
    return inserted


def _current_document_at(session: Session, source_id: str, url: str) -> int | None:
    return session.scalars(
        select(Sighting.document_id)
        .where(Sighting.url == url, Sighting.source_id == source_id, Sighting.current.is_(True))
        .order_by(Sighting.document_id.desc())
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
    revisit: bool = True,
) -> StoreResult:
    """Store one fetched article: a new document, a new version, or a sighting.

    `revisit=False` says the URL was never stored for this source (the spider
    knows), which spares the look-up of an earlier version. Written with Core
    statements: this runs once per crawled article.
    """
    before = _current_document_at(session, source_id, url) if revisit else None
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
            "previous_id": before,
            "created_at": utcnow(),
        },
        ["content_hash"],
        returning=True,
    )
    if isinstance(inserted, int):
        document_id = inserted
    else:
        document_id = session.scalars(
            select(Document.id).where(Document.content_hash == content_hash)
        ).one()
    kind: StoreKind
    previous_id = None
    if inserted:
        if before is not None:
            kind, previous_id = "version", before
            session.execute(
                update(Sighting)
                .where(
                    Sighting.url == url,
                    Sighting.source_id == source_id,
                    Sighting.document_id == before,
                )
                .values(current=False)
            )
        else:
            kind = "new"
        _add_sighting(session, document_id, source_id, url)
    else:
        kind = "repost" if _add_sighting(session, document_id, source_id, url) else "duplicate"
    if raw is not None:
        archive_page(session, source_id, raw, document_id=document_id)
    return StoreResult(kind=kind, document_id=document_id, previous_id=previous_id, session=session)


def add_figures(
    session: Session,
    document_id: int,
    source_id: str,
    figures: Sequence[Mapping[str, Any]],
    extractor_version: int,
) -> None:
    """Store a document's figures once each (unique per document and span), and
    mark the document as extracted by `extractor_version`."""
    now = utcnow()
    rows = [
        {
            "document_id": document_id,
            "source_id": source_id,
            "text": fig["text"],
            "start": fig["start"],
            "end": fig["end"],
            "value": Decimal(str(fig["value"])),
            "unit": fig["unit"],
            "qualifier": fig["qualifier"],
            "metric": fig["metric"],
            "topic": fig.get("topic"),
            "direction": fig.get("direction"),
            "extractor_version": extractor_version,
            "created_at": now,
        }
        for fig in figures
    ]
    insert_many_ignore(
        session,
        Figure.__table__,  # type: ignore[arg-type]
        rows,
        ["document_id", "start", "end"],
    )
    changes: dict[str, Any] = {"extractor_version": extractor_version}
    if figures:
        changes["topic"] = figures[0].get("topic")
    session.execute(
        Document.__table__.update()  # type: ignore[attr-defined]
        .where(Document.id == document_id)
        .values(**changes)
    )


def store_figures(
    session: Session,
    document: Document,
    figures: Sequence[Mapping[str, Any]],
    extractor_version: int,
) -> list[Figure]:
    """`add_figures`, returning the document's stored figures."""
    add_figures(session, document.id, document.source_id, figures, extractor_version)
    session.expire(document, ["extractor_version", "topic"])
    return document_figures(session, document.id)


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

