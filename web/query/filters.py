"""What a listing is narrowed by, and how each narrowing reads in SQL.

One set of filters serves the pages and the API. A document belongs to a source
(and its region) where it was seen, reposts included; a figure belongs to the
source of the document it was extracted from, so a reposted release is never
counted twice in a series.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Document, Figure, FigureTotal, Sighting, Source
from web.query.dates import day_bounds


class FilterError(ValueError):
    """A filter that cannot be applied (bad parameter: 422); `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Filters:
    source: str | None = None
    regions: tuple[str, ...] = ()
    metric: str | None = None
    topic: str | None = None
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.since is not None and self.until is not None and self.since > self.until:
            raise FilterError("until", f"{self.until} is before since ({self.since})")


def published_between(column: Any, filters: Filters, tz: str) -> list[ColumnElement[bool]]:
    low, high = day_bounds(filters.since, filters.until, tz)
    clauses: list[ColumnElement[bool]] = []
    if low is not None:
        clauses.append(column >= low)
    if high is not None:
        clauses.append(column < high)
    return clauses


def _sources_in(regions: tuple[str, ...]) -> Any:
    return select(Source.id).where(Source.region.in_(regions))


def document_clauses(filters: Filters, tz: str) -> list[ColumnElement[bool]]:
    clauses = published_between(Document.published_at, filters, tz)
    if filters.source:
        clauses.append(
            Document.id.in_(
                select(Sighting.document_id).where(Sighting.source_id == filters.source)
            )
        )
    if filters.regions:
        clauses.append(
            Document.id.in_(
                select(Sighting.document_id).where(
                    Sighting.source_id.in_(_sources_in(filters.regions))
                )
            )
        )
    if filters.metric:
        clauses.append(
            Document.id.in_(select(Figure.document_id).where(Figure.metric == filters.metric))
        )
    if filters.topic:
        clauses.append(Document.topic == filters.topic)
    return clauses


def figure_clauses(filters: Filters, tz: str) -> list[ColumnElement[bool]]:
    """Clauses on `Figure` alone (it carries its release's date)."""
    clauses = published_between(Figure.published_at, filters, tz)
    if filters.metric:
        clauses.append(Figure.metric == filters.metric)
    if filters.source:
        clauses.append(Figure.source_id == filters.source)
    if filters.regions:
        clauses.append(Figure.source_id.in_(_sources_in(filters.regions)))
    if filters.topic:
        clauses.append(Figure.topic == filters.topic)
    return clauses


def total_clauses(filters: Filters, tz: str) -> list[ColumnElement[bool]]:
    """`figure_clauses` on `FigureTotal` (a release's figures per metric, unit and
    source), which has no topic: a topic narrows figures, not their totals."""
    assert not filters.topic, "figure totals are not kept per topic"
    clauses = published_between(FigureTotal.published_at, filters, tz)
    if filters.metric:
        clauses.append(FigureTotal.metric == filters.metric)
    if filters.source:
        clauses.append(FigureTotal.source_id == filters.source)
    if filters.regions:
        clauses.append(FigureTotal.source_id.in_(_sources_in(filters.regions)))
    return clauses


def newest_first(published: Any, dialect: str) -> Any:
    """Newest first, undated last (SQLite sorts NULL lowest already, and so keeps
    using its ascending indexes, read backwards; PostgreSQL needs telling, and has
    indexes in this very order: migration 0010_newest_first_indexes)."""
    return published.desc().nulls_last() if dialect == "postgresql" else published.desc()


def after_published(published: Any, row_id: Any, last_published: Any, last_id: int) -> Any:
    """Rows after (last_published, last_id) in newest-first order, undated last."""
    if last_published is None:
        return and_(published.is_(None), row_id < last_id)
    return or_(
        published < last_published,
        and_(published == last_published, row_id < last_id),
        published.is_(None),
    )


def after_published_parts(published: Any, last_published: Any, later: Any, bound: Any) -> list[Any]:
    """`after_published` as parts to read one after the other: the dated rows after
    the key, then the undated ones. Each part is one range of an index in
    newest-first order (`published <= last` bounds the first), so a page far down a
    listing reads its own rows; the one OR of `after_published` is a filter that an
    index cannot bound, which reads every row before the key.

    `later`: which rows of the key's date come after it (`id < last_id`); `bound`: a
    range on the index's next column that `later` implies (`id <= last_id`)."""
    if last_published is None:
        return [and_(published.is_(None), bound, later)]
    return [
        and_(published <= last_published, or_(published < last_published, later)),
        published.is_(None),
    ]
