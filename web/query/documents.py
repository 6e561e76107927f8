"""Releases: the newest first, or the best matches of a search first.

A search ranks releases whose title holds every term above those that hold
them only in the text, and the newest first within each; the cursor carries
that rank, so paging is stable while nothing new is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from storage.models import Document, Figure, Sighting, Source
from web.query import cursor as cursors
from web.query.dates import site_date
from web.query.filters import Filters, after_published, document_clauses, newest_first
from web.query.search import Passage, SearchQuery, find_passage, search_clauses

CURSOR_KIND = "documents"


@dataclass(frozen=True)
class DocumentRow:
    id: int
    title: str
    source: str
    source_name: str | None
    region: str | None
    published_at: datetime | None
    published: date | None
    urls: tuple[str, ...]
    figures: int
    passage: Passage | None


@dataclass(frozen=True)
class DocumentPage:
    documents: list[DocumentRow]
    next: str | None


def _urls(session: Session, ids: list[int]) -> dict[int, list[str]]:
    urls: dict[int, list[str]] = {i: [] for i in ids}
    rows = session.execute(
        select(Sighting.document_id, Sighting.url)
        .where(Sighting.document_id.in_(ids))
        .order_by(Sighting.id)
    )
    for doc_id, url in rows:
        urls[doc_id].append(url)
    return urls


def figure_counts(session: Session, ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(Figure.document_id, func.count(Figure.id))
        .where(Figure.document_id.in_(ids))
        .group_by(Figure.document_id)
    )
    return {doc_id: int(n) for doc_id, n in rows}


def list_documents(
    session: Session,
    filters: Filters,
    *,
    search: SearchQuery | None,
    limit: int,
    cursor: str | None,
    tz: str,
) -> DocumentPage:
    dialect = session.get_bind().dialect.name
    clauses = document_clauses(filters, tz)
    order: list[Any] = []
    tier: Any = literal(0)
    if search is not None:
        found = search_clauses(session, search)
        clauses.append(found.matches)
        tier = case((found.in_title, 0), else_=1)
        order.append(tier)
    order += [newest_first(Document.published_at, dialect), Document.id.desc()]
    if cursor is not None:
        if search is not None:
            last_tier, last_published, last_id = cursors.decode(
                CURSOR_KIND + ":q", cursor, (int, datetime, int)
            )
            clauses.append(
                or_(
                    tier > last_tier,
                    and_(
                        tier == last_tier,
                        after_published(
                            Document.published_at, Document.id, last_published, last_id
                        ),
                    ),
                )
            )
        else:
            last_published, last_id = cursors.decode(CURSOR_KIND, cursor, (datetime, int))
            clauses.append(
                after_published(Document.published_at, Document.id, last_published, last_id)
            )
    query = (
        select(
            Document.id,
            Document.title,
            Document.source_id,
            Source.name,
            Source.region,
            Document.published_at,
            tier.label("tier"),
        )
        .outerjoin(Source, Source.id == Document.source_id)
        .where(*clauses)
        .order_by(*order)
        .limit(limit + 1)
    )
    rows = session.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    ids = [row.id for row in rows]
    urls = _urls(session, ids)
    counts = figure_counts(session, ids)
    passages: dict[int, Passage | None] = {}
    if search is not None and ids:
        texts = session.execute(select(Document.id, Document.text).where(Document.id.in_(ids)))
        passages = {doc_id: find_passage(text, search) for doc_id, text in texts}
    documents = [
        DocumentRow(
            id=row.id,
            title=row.title,
            source=row.source_id,
            source_name=row.name,
            region=row.region,
            published_at=row.published_at,
            published=site_date(row.published_at, tz),
            urls=tuple(urls.get(row.id, ())),
            figures=counts.get(row.id, 0),
            passage=passages.get(row.id),
        )
        for row in rows
    ]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        if search is not None:
            next_cursor = cursors.encode(
                CURSOR_KIND + ":q", [int(last.tier), last.published_at, last.id]
            )
        else:
            next_cursor = cursors.encode(CURSOR_KIND, [last.published_at, last.id])
    return DocumentPage(documents=documents, next=next_cursor)
