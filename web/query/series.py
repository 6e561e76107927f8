"""A metric over time: per region (and unit) the sum of its figures in each
month, quarter or year of the site's calendar, with the releases behind each
point. Periods without a figure inside a series are gaps (`sum` None), never 0.

Figures carry their release's date (migration 0003_figure_dates), so the sums
come from one index without reading releases; sources map to regions here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session

from storage.models import Figure, Source
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


@dataclass
class _Sum:
    total: Decimal = Decimal(0)
    figures: int = 0
    ids: set[int] = field(default_factory=set)


def _aggregate_ids(column: Any, dialect: str) -> Any:
    """The distinct document ids of a group, comma-separated."""
    if dialect == "postgresql":
        return func.string_agg(func.distinct(cast(column, Text)), ",")
    return func.group_concat(func.distinct(column))


def _data_range(session: Session, clauses: list[Any]) -> tuple[datetime | None, datetime | None]:
    row = session.execute(
        select(func.min(Figure.published_at), func.max(Figure.published_at)).where(*clauses)
    ).one()
    convert = Figure.published_at.type.process_result_value
    return convert(row[0], None), convert(row[1], None)


def build_series(session: Session, filters: Filters, interval: Interval, tz: str) -> SeriesResult:
    assert filters.metric, "a series is of one metric"
    dialect = session.get_bind().dialect.name
    clauses = figure_clauses(filters, tz)
    low, high = day_bounds(filters.since, filters.until, tz)
    if dialect == "sqlite" and (low is None or high is None):
        data_low, data_high = _data_range(session, clauses)
        low, high = low or data_low, high or data_high
    period = period_expression(Figure.published_at, interval, tz, dialect, low, high)
    rows = session.execute(
        select(
            Figure.source_id,
            Figure.unit,
            period.label("period"),
            func.sum(Figure.value).label("total"),
            func.count().label("figures"),
            _aggregate_ids(Figure.document_id, dialect).label("ids"),
        )
        .where(*clauses, Figure.published_at.is_not(None))
        .group_by(Figure.source_id, Figure.unit, period)
    ).all()
    undated = session.scalar(
        select(func.count()).select_from(Figure).where(*clauses, Figure.published_at.is_(None))
    )
    regions = dict(session.execute(select(Source.id, Source.region)).all())
    sums: dict[tuple[str, str], dict[str, _Sum]] = defaultdict(lambda: defaultdict(_Sum))
    for row in rows:
        point = sums[(regions.get(row.source_id) or "", row.unit)][row.period]
        point.total += row.total if isinstance(row.total, Decimal) else Decimal(str(row.total))
        point.figures += int(row.figures)
        point.ids.update(int(i) for i in str(row.ids or "").split(",") if i)
    series = []
    for (region, unit), by_period in sorted(sums.items()):
        points = []
        for label in periods_between(min(by_period), max(by_period), interval):
            start, end = period_bounds(label, interval)
            found = by_period.get(label)
            if found is None:
                points.append(Point(label, start, end, None, 0, 0, ()))
                continue
            newest = sorted(found.ids, reverse=True)[:POINT_DOCUMENTS]
            points.append(
                Point(label, start, end, plain_number(found.total), found.figures,
                      len(found.ids), tuple(newest))
            )  # fmt: skip
        series.append(Series(region=region, unit=unit, points=points))
    return SeriesResult(filters.metric, interval, series, int(undated or 0))
