"""Dates as the sites mean them: a release dated 2024-03-01 in Beijing is shown,
filtered and counted as 2024-03-01, whatever the server's zone.

Stored times are UTC; the site's zone (the config's `timezone`) turns them into
calendar dates: in Python, and for grouping on PostgreSQL in SQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, func
from sqlalchemy.sql.elements import ColumnElement

Interval = Literal["month", "quarter", "year"]
INTERVALS: tuple[Interval, ...] = ("month", "quarter", "year")


def site_date(value: datetime | None, tz: str) -> date | None:
    """The calendar date of `value` where the site is."""
    return value.astimezone(ZoneInfo(tz)).date() if value is not None else None


def day_start(day: date, tz: str) -> datetime:
    """The UTC instant at which `day` begins where the site is."""
    return datetime.combine(day, time(0), ZoneInfo(tz)).astimezone(UTC)


def day_bounds(since: date | None, until: date | None, tz: str) -> tuple[datetime | None, ...]:
    """[start of `since`, start of the day after `until`) in UTC; None stays open."""
    low = day_start(since, tz) if since is not None else None
    high = day_start(until + timedelta(days=1), tz) if until is not None else None
    return low, high


# --------------------------------------------------------------------- periods


def period_label(day: date, interval: Interval) -> str:
    if interval == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if interval == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}"


@lru_cache(maxsize=4096)
def period_bounds(label: str, interval: Interval) -> tuple[date, date]:
    """The first and last day of a period given by its label."""
    year = int(label[:4])
    if interval == "year":
        return date(year, 1, 1), date(year, 12, 31)
    first_month = (int(label[-1]) - 1) * 3 + 1 if interval == "quarter" else int(label[5:7])
    last_month = first_month + (2 if interval == "quarter" else 0)
    end = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
    return date(year, first_month, 1), end - timedelta(days=1)


@lru_cache(maxsize=4096)
def period_iso_bounds(label: str, interval: Interval) -> tuple[str, str]:
    """`period_bounds` as ISO dates (the same for every series of a chart)."""
    start, end = period_bounds(label, interval)
    return start.isoformat(), end.isoformat()


@lru_cache(maxsize=256)
def periods_between(first: str, last: str, interval: Interval) -> tuple[str, ...]:
    """Every period label from `first` to `last`, both included."""
    labels: list[str] = []
    day, end = period_bounds(first, interval)[0], period_bounds(last, interval)[0]
    while day <= end:
        labels.append(period_label(day, interval))
        day = period_bounds(labels[-1], interval)[1] + timedelta(days=1)
    return tuple(labels)


def period_start_expression(column: Any, interval: Interval, tz: str) -> ColumnElement[datetime]:
    """PostgreSQL: the local time at which the period of a UTC timestamp column
    begins in the site's zone (`period_label` of its date names the period).
    Grouping by date_trunc costs a third less than by a formatted label."""
    return func.date_trunc(interval, func.timezone(tz, column), type_=DateTime)
