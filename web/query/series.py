"""A metric over time: per region (and unit) the sum of its figures in each
month, quarter or year of the site's calendar, and how many releases are behind
each point. Periods without a figure inside a series are gaps (`sum` None),
never 0.

Figures carry their release's date (migration 0006_figure_dates), so the sums
come from indexes without reading releases; sources map to regions here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from storage.models import Figure, Source
from web.query.dates import (
    Interval,
    day_bounds,
    period_bounds,
    period_expression,
    period_label,
    periods_between,
    site_date,
)
from web.query.detail import plain_number
from web.query.filters import Filters, figure_clauses


@dataclass(frozen=True)
class Point:
    period: str
    start: date
    end: date
    sum: int | float | None
    figures: int
    releases: int


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
    releases: int = 0


# (source, unit, period, sum, figures, releases)
Cell = tuple[str, str, str, Decimal, int, int]


def _postgresql_sums(session: Session, filters: Filters, interval: Interval, tz: str) -> list[Cell]:
    """The sums by one GROUP BY (a hash aggregate)."""
    period = period_expression(Figure.published_at, interval, tz)
    rows = session.execute(
        select(
            Figure.source_id,
            Figure.unit,
            period.label("period"),
            func.sum(Figure.value),
            func.count(),
            func.count(func.distinct(Figure.document_id)),
        )
        .where(*figure_clauses(filters, tz), Figure.published_at.is_not(None))
        .group_by(Figure.source_id, Figure.unit, period)
    ).all()
    return [(r[0], r[1], r[2], Decimal(r[3]), int(r[4]), int(r[5])) for r in rows]


def _stamp(value: datetime) -> str:
    """A UTC instant as SQLite holds one (SQLAlchemy's DateTime text form)."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _instant(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).replace(tzinfo=UTC)


_INDEX = "figures f INDEXED BY ix_figures_metric_unit_source"
# Every (unit, source) of a metric with its first and last date: the units by a
# loose scan of the index (one probe per unit), each range by two probes.
_RANGES = text(
    "WITH RECURSIVE units(unit) AS ("
    f" SELECT min(unit) FROM {_INDEX} WHERE f.metric = :metric"
    f" UNION ALL SELECT (SELECT min(unit) FROM {_INDEX}"
    "  WHERE f.metric = :metric AND f.unit > units.unit) FROM units WHERE units.unit IS NOT NULL)"
    " SELECT units.unit, sources.id,"
    f" (SELECT min(published_at) FROM {_INDEX} WHERE f.metric = :metric AND f.unit = units.unit"
    "   AND f.source_id = sources.id AND f.published_at IS NOT NULL),"
    f" (SELECT max(published_at) FROM {_INDEX} WHERE f.metric = :metric AND f.unit = units.unit"
    "   AND f.source_id = sources.id)"
    " FROM units, sources WHERE units.unit IS NOT NULL"
)


def _sqlite_sums(session: Session, filters: Filters, interval: Interval, tz: str) -> list[Cell]:
    """The same sums by range scans, one per (unit, source) and period.

    SQLite has no hash aggregate: a GROUP BY over a hundred thousand figures sorts
    them all. Here each cell is one range of the (metric, unit, source, date)
    index, and the periods' bounds are computed in Python, in the site's zone
    (daylight saving included), so no row is converted at all.
    """
    ranges: dict[tuple[str, str], tuple[datetime, datetime]] = {}
    for unit, source_id, low, high in session.execute(_RANGES, {"metric": filters.metric}):
        if low is not None and (not filters.source or source_id == filters.source):
            ranges[(unit, source_id)] = (_instant(low), _instant(high))
    if filters.regions:
        wanted = set(session.scalars(select(Source.id).where(Source.region.in_(filters.regions))))
        ranges = {k: v for k, v in ranges.items() if k[1] in wanted}
    if not ranges:
        return []
    first = min(low for low, _ in ranges.values())
    last = max(high for _, high in ranges.values())
    since = max(filters.since or date.min, site_date(first, tz) or date.min)
    until = min(filters.until or date.max, site_date(last, tz) or date.max)
    if since > until:
        return []
    params: dict[str, Any] = {"metric": filters.metric, "topic": filters.topic}
    periods = []
    labels = periods_between(period_label(since, interval), period_label(until, interval), interval)
    for i, label in enumerate(labels):
        start, end = period_bounds(label, interval)
        low, high = day_bounds(max(start, since), min(end, until), tz)
        assert low is not None and high is not None
        params.update({f"l{i}": label, f"a{i}": _stamp(low), f"b{i}": _stamp(high)})
        periods.append(f"(:l{i}, :a{i}, :b{i})")
    chosen = []
    for i, ((unit, source_id), (low, high)) in enumerate(sorted(ranges.items())):
        params.update(
            {f"u{i}": unit, f"s{i}": source_id, f"sl{i}": _stamp(low), f"sh{i}": _stamp(high)}
        )
        chosen.append(f"(:u{i}, :s{i}, :sl{i}, :sh{i})")
    topic = " AND f.topic = :topic" if filters.topic else ""
    query = text(
        f"WITH periods(label, low, high) AS (VALUES {', '.join(periods)}),"
        f" chosen(unit, id, low, high) AS (VALUES {', '.join(chosen)})"
        " SELECT chosen.unit, chosen.id, periods.label, (SELECT sum(f.value) || char(31)"
        "  || count(*) || char(31) || count(DISTINCT f.document_id)"
        f"  FROM {_INDEX} WHERE f.metric = :metric AND f.unit = chosen.unit"
        "  AND f.source_id = chosen.id"
        f"  AND f.published_at >= periods.low AND f.published_at < periods.high{topic})"
        " FROM chosen, periods"
        # Only the periods in which each source has figures at all.
        " WHERE periods.high > chosen.low AND periods.low <= chosen.high"
    )
    sums: list[Cell] = []
    for unit, source_id, label, cell in session.execute(query, params):
        if cell is not None:
            total, count, releases = cell.split("\x1f")
            sums.append((source_id, unit, label, Decimal(total), int(count), int(releases)))
    return sums


def build_series(session: Session, filters: Filters, interval: Interval, tz: str) -> SeriesResult:
    assert filters.metric, "a series is of one metric"
    if session.get_bind().dialect.name == "postgresql":
        rows = _postgresql_sums(session, filters, interval, tz)
    else:
        rows = _sqlite_sums(session, filters, interval, tz)
    undated = session.scalar(
        select(func.count())
        .select_from(Figure)
        .where(*figure_clauses(filters, tz), Figure.published_at.is_(None))
    )
    regions = dict(session.execute(select(Source.id, Source.region)).all())
    sums: dict[tuple[str, str], dict[str, _Sum]] = defaultdict(lambda: defaultdict(_Sum))
    for source_id, unit, label, total, count, releases in rows:
        point = sums[(regions.get(source_id) or "", unit)][label]
        point.total += total
        point.figures += count
        point.releases += releases  # a release has one source: no double counting
    series = []
    for (region, unit), by_period in sorted(sums.items()):
        points = []
        for label in periods_between(min(by_period), max(by_period), interval):
            start, end = period_bounds(label, interval)
            found = by_period.get(label)
            if found is None:
                points.append(Point(label, start, end, None, 0, 0))
            else:
                value = plain_number(found.total)
                points.append(Point(label, start, end, value, found.figures, found.releases))
        series.append(Series(region=region, unit=unit, points=points))
    return SeriesResult(filters.metric, interval, series, int(undated or 0))
