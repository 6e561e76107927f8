"""Storing what a crawl fetched: raw pages, articles (documents and their sightings)
and their figures. Each function takes a `session`; the caller owns the transaction.

Writers that create identities (documents, sightings, figures) insert with
ON CONFLICT DO NOTHING and then read, so two processes storing the same release
at once end with one row, never an error or a duplicate.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.inserts import insert_ignore, insert_many_ignore
from storage.models import Document, Figure, RawPage, Sighting, utcnow


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
