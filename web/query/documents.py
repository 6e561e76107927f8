"""Releases: the newest first, or the best matches of a search first.

A search ranks releases whose title holds every term above those that hold
them only in the text, and the newest first within each; the cursor carries
that rank, so paging is stable while nothing new is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, not_, select
from sqlalchemy.orm import Session

from storage.models import Document, Figure, Sighting, Source
from web.query import cursor as cursors
from web.query.dates import site_date
from web.query.filters import (
    Filters,
    after_published,
    after_published_parts,
    document_clauses,
    newest_first,
)
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


_COLUMNS = (
    Document.id,
    Document.title,
    Document.source_id,
    Source.name,
    Source.region,
    Document.published_at,
)
#: How many of the newest releases a search reads directly before it turns to
#: the index: a word in one release in twenty fills a page from them.
SCAN_WINDOW = 1000


def _select(session: Session, clauses: list[Any], limit: int, dialect: str) -> list[Any]:
    query = (
        select(*_COLUMNS)
        .outerjoin(Source, Source.id == Document.source_id)
        .where(*clauses)
        .order_by(newest_first(Document.published_at, dialect), Document.id.desc())
        .limit(limit)
    )
    return list(session.execute(query).all())


def _not_after(published: datetime | None, last_id: int) -> Any:
    return not_(after_published(Document.published_at, Document.id, published, last_id))


def _after_parts(published: datetime | None, last_id: int) -> list[Any]:
    return after_published_parts(
        Document.published_at, published, Document.id < last_id, Document.id < last_id
    )


def _in_parts(
    read: Callable[[list[Any], int], list[Any]], clauses: list[Any], parts: list[Any], need: int
) -> list[Any]:
    """`read(clauses, n)` over each part of a keyset (`_after_parts`) in turn, until
    `need` rows are found."""
    rows: list[Any] = []
    for part in parts:
        rows += read([*clauses, part], need - len(rows))
        if len(rows) >= need:
            break
    return rows


def _find(
    session: Session,
    clauses: list[Any],
    scan: Any,
    indexed: Callable[[], Any],
    need: int,
    dialect: str,
    likely: bool,
) -> list[Any]:
    """The `need` newest releases (under `clauses`) that match. Where matches are
    `likely` among the newest SCAN_WINDOW releases, those are read directly, and
    the index serves the rest; otherwise the index serves them all."""
    if not likely:
        return _select(session, [*clauses, indexed()], need, dialect)
    edge = session.execute(
        select(Document.published_at, Document.id)
        .where(*clauses)
        .order_by(newest_first(Document.published_at, dialect), Document.id.desc())
        .offset(SCAN_WINDOW - 1)
        .limit(1)
    ).first()
    window = [_not_after(edge.published_at, edge.id)] if edge is not None else []
    found = _select(session, [*clauses, *window, scan], need, dialect)
    if len(found) >= need or edge is None:
        return found
    return found + _in_parts(
        lambda where, n: _select(session, where, n, dialect),
        [*clauses, indexed()],
        _after_parts(edge.published_at, edge.id),
        need - len(found),
    )


def _finder(
    session: Session, scan: Any, indexed: Callable[[], Any], dialect: str, likely: bool
) -> Callable[[list[Any], int], list[Any]]:
    return lambda clauses, need: _find(session, clauses, scan, indexed, need, dialect, likely)


def _search(
    session: Session,
    clauses: list[Any],
    search: SearchQuery,
    limit: int,
    cursor: str | None,
    dialect: str,
) -> list[tuple[int, Any]]:
    """(tier, row): tier 0 holds every term in its title, tier 1 only in its text."""
    found = search_clauses(session, search)
    # Matches are likely among the newest SCAN_WINDOW releases when at least this
    # many releases match overall (as if they were spread evenly).
    total = session.scalar(select(func.max(Document.id))) or 1
    enough = -(-(limit + 1) * total // SCAN_WINDOW)

    def likely(title: bool) -> bool:
        return found.matches_at_least(enough, title=title) is not False

    tiers = [
        (0, found.scan_title, lambda: found.indexed_title, lambda: likely(True)),
        (1, and_(not_(found.scan_title), found.scan_all),
         lambda: and_(found.indexed_all, not_(found.scan_title)), lambda: likely(False)),
    ]  # fmt: skip
    first_tier, start = 0, None
    if cursor is not None:
        first_tier, published, last_id = cursors.decode(
            CURSOR_KIND + ":q", cursor, (int, datetime, int)
        )
        start = _after_parts(published, last_id)
    rows: list[tuple[int, Any]] = []
    for tier, scan, indexed, common in tiers:
        if tier < first_tier:
            continue
        need = limit + 1 - len(rows)
        find = _finder(session, scan, indexed, dialect, common())
        if start is not None and tier == first_tier:
            matches = _in_parts(find, clauses, start, need)
        else:
            matches = find(clauses, need)
        rows += [(tier, row) for row in matches]
        if len(rows) > limit:
            break
    return rows


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
    if search is not None:
        tiered = _search(session, clauses, search, limit, cursor, dialect)
    elif cursor is not None:
        last_published, last_id = cursors.decode(CURSOR_KIND, cursor, (datetime, int))
        found = _in_parts(
            lambda where, n: _select(session, where, n, dialect),
            clauses,
            _after_parts(last_published, last_id),
            limit + 1,
        )
        tiered = [(0, row) for row in found]
    else:
        tiered = [(0, row) for row in _select(session, clauses, limit + 1, dialect)]
    more = len(tiered) > limit
    tiered = tiered[:limit]
    ids = [row.id for _, row in tiered]
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
        for _, row in tiered
    ]
    next_cursor = None
    if more and tiered:
        tier, last = tiered[-1]
        if search is not None:
            next_cursor = cursors.encode(CURSOR_KIND + ":q", [tier, last.published_at, last.id])
        else:
            next_cursor = cursors.encode(CURSOR_KIND, [last.published_at, last.id])
    return DocumentPage(documents=documents, next=next_cursor)
