"""A metric over time: per region (and unit) the sum of its figures in each
month, quarter or year of the site's calendar, with the releases behind each
point. Periods without a figure inside a series are gaps (`sum` None), never 0.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session

from storage.models import Document, Figure, Source
from web.query.dates import Interval, day_bounds, period_bounds, period_expression, periods_between
from web.query.detail import plain_number
from web.query.filters import Filters, figure_clauses

#: The releases listed with each point; `releases` counts them all.
POINT_DOCUMENTS = 20


@dataclass(frozen=True)
class Point:
    period: str
    start: date
    end: date
    sum: int | float | None
    figures: int
    releases: int
    document_ids: tuple[int, ...]


@dataclass(frozen=True)
class Series:
    region: str
    unit: str
    points: list[Point]


@dataclass(frozen=True)
class SeriesResult:
    metric: str
    interval: Interval
    series: list[Series]
    undated: int  # figures of releases without a date, left out


def _aggregate_ids(column: Any, dialect: str) -> Any:
    """The distinct document ids of a group, comma-separated."""
    if dialect == "postgresql":
        return func.string_agg(func.distinct(cast(column, Text)), ",")
    return func.group_concat(func.distinct(column))


def _data_range(session: Session, clauses: list[Any]) -> tuple[datetime | None, datetime | None]:
    row = session.execute(
        select(func.min(Document.published_at), func.max(Document.published_at))
        .select_from(Figure)
        .join(Document, Document.id == Figure.document_id)
        .where(*clauses)
    ).one()
    convert = Document.published_at.type.process_result_value
    return convert(row[0], None), convert(row[1], None)


def build_series(session: Session, filters: Filters, interval: Interval, tz: str) -> SeriesResult:
    assert filters.metric, "a series is of one metric"
    dialect = session.get_bind().dialect.name
    clauses = figure_clauses(filters, tz)
    low, high = day_bounds(filters.since, filters.until, tz)
    if dialect == "sqlite" and (low is None or high is None):
        data_low, data_high = _data_range(session, clauses)
        low, high = low or data_low, high or data_high
    period = period_expression(Document.published_at, interval, tz, dialect, low, high)
    region = func.coalesce(Source.region, "")
    rows = session.execute(
        select(
            region.label("region"),
            Figure.unit,
            period.label("period"),
            func.sum(Figure.value).label("total"),
            func.count(Figure.id).label("figures"),
            func.count(func.distinct(Figure.document_id)).label("releases"),
            _aggregate_ids(Figure.document_id, dialect).label("ids"),
        )
        .select_from(Figure)
        .join(Document, Document.id == Figure.document_id)
        .outerjoin(Source, Source.id == Figure.source_id)
        .where(*clauses, Document.published_at.is_not(None))
        .group_by(region, Figure.unit, period)
    ).all()
    undated = session.scalar(
        select(func.count(Figure.id))
        .join(Document, Document.id == Figure.document_id)
        .where(*clauses, Document.published_at.is_(None))
    )
    points: dict[tuple[str, str], dict[str, Point]] = defaultdict(dict)
    for row in rows:
        ids = sorted((int(i) for i in str(row.ids or "").split(",") if i), reverse=True)
        start, end = period_bounds(row.period, interval)
        total = row.total if isinstance(row.total, Decimal) else Decimal(str(row.total))
        points[(row.region, row.unit)][row.period] = Point(
            period=row.period,
            start=start,
            end=end,
            sum=plain_number(total),
            figures=int(row.figures),
            releases=int(row.releases),
            document_ids=tuple(ids[:POINT_DOCUMENTS]),
        )
    series = []
    for (region_name, unit), by_period in sorted(points.items()):
        labels = periods_between(min(by_period), max(by_period), interval)
        filled = []
        for label in labels:
            if label in by_period:
                filled.append(by_period[label])
            else:
                start, end = period_bounds(label, interval)
                filled.append(Point(label, start, end, None, 0, 0, ()))
        series.append(Series(region=region_name, unit=unit, points=filled))
    return SeriesResult(filters.metric, interval, series, int(undated or 0))
