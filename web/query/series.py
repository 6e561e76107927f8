"""A metric over time: per region (and unit) the sum of its figures in each
month, quarter or year of the site's calendar, and how many releases are behind
each point. Periods without a figure inside a series are gaps (`sum` None),
never 0.

The sums come from `figure_totals` (migration 0009_figure_totals): per release,
metric, unit and source, the sum and count of its figures and the release's
date, kept by triggers as figures are written. A cell reads one row per release
and counts releases with count(*). A topic narrows figures, not their totals:
with one, the sums come from the figures themselves (which carry their release's
date, migration 0006_figure_dates). Either way they come from covering indexes
without reading releases; sources map to regions here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from storage.models import Figure, FigureTotal, Source
from web.query.dates import (
    Interval,
    day_bounds,
    period_bounds,
    period_label,
    period_start_expression,
    periods_between,
    site_date,
)
from web.query.detail import plain_number
from web.query.filters import Filters, figure_clauses, total_clauses


class Point(NamedTuple):
    """One period of a series (a named tuple: a monthly series over all regions has
    thousands, and a frozen dataclass costs several times as much to make)."""

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


# (source, unit, period, sum, figures, releases)
Cell = tuple[str, str, str, Decimal, int, int]


@dataclass(frozen=True)
class _Table:
    """Where a series' sums come from: the figures totals (no topic) or the figures."""

    # SQLite: the table and its (metric, unit, source, date, …) covering index.
    sqlite_from: str
    # SQLite: a cell's sum, figures and releases, joined by char(31).
    sqlite_cell: str
    by_topic: bool


_TOTALS = _Table(
    "figure_totals f INDEXED BY ix_figure_totals_cells",
    "sum(f.total) || char(31) || sum(f.figures) || char(31) || count(*)",
    by_topic=False,
)
_FIGURES = _Table(
    "figures f INDEXED BY ix_figures_metric_unit_source",
    "sum(f.value) || char(31) || count(*) || char(31) || count(DISTINCT f.document_id)",
    by_topic=True,
)


def _table(filters: Filters) -> _Table:
    return _FIGURES if filters.topic else _TOTALS


def _postgresql_sums(session: Session, filters: Filters, interval: Interval, tz: str) -> list[Cell]:
    """The sums by one GROUP BY (a hash aggregate)."""
    if _table(filters).by_topic:
        period = period_start_expression(Figure.published_at, interval, tz)
        columns: tuple[Any, ...] = (
            Figure.source_id,
            Figure.unit,
            func.sum(Figure.value),
            func.count(),
            func.count(func.distinct(Figure.document_id)),
        )
        clauses = [*figure_clauses(filters, tz), Figure.published_at.is_not(None)]
    else:
        period = period_start_expression(FigureTotal.published_at, interval, tz)
        columns = (
            FigureTotal.source_id,
            FigureTotal.unit,
            func.sum(FigureTotal.total),
            func.sum(FigureTotal.figures),
            func.count(),
        )
        clauses = [*total_clauses(filters, tz), FigureTotal.published_at.is_not(None)]
    source, unit, *sums = columns
    rows = session.execute(
        select(source, unit, period.label("period"), *sums)
        .where(*clauses)
        .group_by(source, unit, period)
    ).all()
    return [
        (r[0], r[1], period_label(r[2].date(), interval), Decimal(r[3]), int(r[4]), int(r[5]))
        for r in rows
    ]


def _stamp(value: datetime) -> str:
    """A UTC instant as SQLite holds one (SQLAlchemy's DateTime text form)."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _instant(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).replace(tzinfo=UTC)


def _ranges(table: _Table) -> Any:
    """Every (unit, source) of a metric with its first and last date: the units by a
    loose scan of the index (one probe per unit), each range by two probes."""
    index = table.sqlite_from
    return text(
        "WITH RECURSIVE units(unit) AS ("
        f" SELECT min(unit) FROM {index} WHERE f.metric = :metric"
        f" UNION ALL SELECT (SELECT min(unit) FROM {index}"
        "  WHERE f.metric = :metric AND f.unit > units.unit) FROM units"
        "  WHERE units.unit IS NOT NULL)"
        " SELECT units.unit, sources.id,"
        f" (SELECT min(published_at) FROM {index} WHERE f.metric = :metric"
        "   AND f.unit = units.unit AND f.source_id = sources.id AND f.published_at IS NOT NULL),"
        f" (SELECT max(published_at) FROM {index} WHERE f.metric = :metric"
        "   AND f.unit = units.unit AND f.source_id = sources.id)"
        " FROM units, sources WHERE units.unit IS NOT NULL"
    )


_RANGES = {table: _ranges(table) for table in (_TOTALS, _FIGURES)}


def _cells(table: _Table) -> Any:
    """Per chosen (unit, source): its cells as `label US sum US figures US releases`,
    joined by RS, each cell one range of the (metric, unit, source, date) index.
    The periods and the chosen (unit, source) pairs come as JSON arrays, so the
    statement is the same for every request and compiled once."""
    by_topic = " AND f.topic = :topic" if table.by_topic else ""
    return text(
        "WITH periods(label, low, high) AS MATERIALIZED (SELECT json_extract(value, '$[0]'),"
        "  json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(:periods)),"
        " chosen(unit, id, low, high) AS MATERIALIZED (SELECT json_extract(value, '$[0]'),"
        "  json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]')"
        "  FROM json_each(:chosen))"
        " SELECT chosen.unit, chosen.id, (SELECT group_concat(periods.label || char(31) ||"
        f"  (SELECT {table.sqlite_cell} FROM {table.sqlite_from}"
        "   WHERE f.metric = :metric AND f.unit = chosen.unit AND f.source_id = chosen.id"
        f"   AND f.published_at >= periods.low AND f.published_at < periods.high{by_topic}),"
        "  char(30)) FROM periods"
        # Only the periods in which each source has figures at all.
        "  WHERE periods.high > chosen.low AND periods.low <= chosen.high)"
        " FROM chosen"
    )


_CELLS = {table: _cells(table) for table in (_TOTALS, _FIGURES)}


def _sqlite_sums(session: Session, filters: Filters, interval: Interval, tz: str) -> list[Cell]:
    """The same sums by range scans, one per (unit, source) and period.

    SQLite has no hash aggregate: a GROUP BY over a hundred thousand rows sorts
    them all. Here each cell is one range of the (metric, unit, source, date)
    index, and the periods' bounds are computed in Python, in the site's zone
    (daylight saving included), so no row is converted at all.
    """
    table = _table(filters)
    ranges: dict[tuple[str, str], tuple[datetime, datetime]] = {}
    for unit, source_id, low, high in session.execute(_RANGES[table], {"metric": filters.metric}):
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
    periods = []
    labels = periods_between(period_label(since, interval), period_label(until, interval), interval)
    for label in labels:
        start, end = period_bounds(label, interval)
        low, high = day_bounds(max(start, since), min(end, until), tz)
        assert low is not None and high is not None
        periods.append((label, _stamp(low), _stamp(high)))
    chosen = [
        (unit, source_id, _stamp(low), _stamp(high))
        for (unit, source_id), (low, high) in sorted(ranges.items())
    ]
    params = {
        "metric": filters.metric,
        "topic": filters.topic,
        "periods": json.dumps(periods),
        "chosen": json.dumps(chosen, ensure_ascii=False),
    }
    sums: list[Cell] = []
    for unit, source_id, cells in session.execute(_CELLS[table], params):
        for cell in cells.split("\x1e") if cells else ():
            label, total, count, releases = cell.split("\x1f")
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
    # per (region, unit) and period: [sum, figures, releases]
    cells: dict[tuple[str, str], dict[str, list[Any]]] = {}
    for source_id, unit, label, total, count, releases in rows:
        by_period = cells.setdefault((regions.get(source_id) or "", unit), {})
        found = by_period.get(label)
        if found is None:
            by_period[label] = [total, count, releases]
        else:  # a release has one source: no double counting
            found[0] += total
            found[1] += count
            found[2] += releases
    series = []
    for (region, unit), by_period in sorted(cells.items()):
        points = []
        for label in periods_between(min(by_period), max(by_period), interval):
            start, end = period_bounds(label, interval)
            found = by_period.get(label)
            if found is None:
                points.append(Point(label, start, end, None, 0, 0))
            else:
                points.append(Point(label, start, end, plain_number(found[0]), found[1], found[2]))
        series.append(Series(region=region, unit=unit, points=points))
    return SeriesResult(filters.metric, interval, series, int(undated or 0))
