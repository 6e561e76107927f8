"""Figures, newest release first, in text order within a release."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from storage.models import Document, Figure, Source
from web.query import cursor as cursors
from web.query.dates import site_date
from web.query.detail import plain_number
from web.query.filters import Filters, after_published_parts, figure_clauses, newest_first

CURSOR_KIND = "figures"
#: The columns of a figure row, in the order of the CSV.
COLUMNS = (
    "document_id",
    "published",
    "source",
    "region",
    "metric",
    "value",
    "unit",
    "qualifier",
    "text",
    "topic",
    "start",
    "end",
    "id",
)


@dataclass(frozen=True)
class FigureRow:
    id: int
    document_id: int
    published_at: datetime | None
    published: date | None
    source: str
    region: str | None
    metric: str
    value: int | float
    unit: str
    qualifier: str
    text: str
    topic: str | None
    start: int
    end: int
    title: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "document_id": self.document_id,
            "published": self.published.isoformat() if self.published else None,
            "source": self.source,
            "region": self.region,
            "metric": self.metric,
            "value": self.value,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "text": self.text,
            "topic": self.topic,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class FigurePage:
    figures: list[FigureRow]
    next: str | None


def _after(last_published: datetime | None, last_document: int, last_id: int) -> list[Any]:
    """Rows after the cursor in (published desc, document desc, figure id asc), in
    parts, each a range of the (metric, published, document, id) index."""
    later = or_(
        Figure.document_id < last_document,
        and_(Figure.document_id == last_document, Figure.id > last_id),
    )
    return after_published_parts(
        Figure.published_at, last_published, later, Figure.document_id <= last_document
    )


def list_figures(
    session: Session, filters: Filters, *, limit: int, cursor: str | None, tz: str
) -> FigurePage:
    dialect = session.get_bind().dialect.name
    clauses = figure_clauses(filters, tz)
    parts: list[Any] = [None]
    if cursor is not None:
        last_published, last_document, last_id = cursors.decode(
            CURSOR_KIND, cursor, (datetime, int, int)
        )
        parts = _after(last_published, last_document, last_id)
    query = (
        select(
            Figure.id,
            Figure.document_id,
            Figure.published_at,
            Document.title,
            Figure.source_id,
            Source.region,
            Figure.metric,
            Figure.value,
            Figure.unit,
            Figure.qualifier,
            Figure.text,
            Figure.topic,
            Figure.start,
            Figure.end,
        )
        .join(Document, Document.id == Figure.document_id)
        .outerjoin(Source, Source.id == Figure.source_id)
        .where(*clauses)
        .order_by(
            newest_first(Figure.published_at, dialect),
            Figure.document_id.desc(),
            Figure.id.asc(),
        )
    )
    rows: list[Any] = []
    for part in parts:
        narrowed = query if part is None else query.where(part)
        rows += session.execute(narrowed.limit(limit + 1 - len(rows))).all()
        if len(rows) > limit:
            break
    more = len(rows) > limit
    rows = rows[:limit]
    figures = [
        FigureRow(
            id=row.id,
            document_id=row.document_id,
            published_at=row.published_at,
            published=site_date(row.published_at, tz),
            source=row.source_id,
            region=row.region,
            metric=row.metric,
            value=plain_number(row.value),
            unit=row.unit,
            qualifier=row.qualifier,
            text=row.text,
            topic=row.topic,
            start=row.start,
            end=row.end,
            title=row.title,
        )
        for row in rows
    ]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = cursors.encode(CURSOR_KIND, [last.published_at, last.document_id, last.id])
    return FigurePage(figures=figures, next=next_cursor)
