"""Request parameters turned into filters, the same way for pages and the API.

Errors are `ParamError`s naming the parameter; the API answers them with 422
and the pages show them above the form (also with 422).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Source
from web.query.filters import FilterError, Filters
from web.query.metrics import MetricCatalog

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
#: Dates outside these are not release dates (and would overflow in zone arithmetic).
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)
ParamError = FilterError


def check_text(field: str, value: str | None) -> None:
    """Refuse control characters: no name has them, and PostgreSQL refuses NUL."""
    if value and any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ParamError(field, "contains control characters")


def check_day(field: str, value: date | None) -> None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise ParamError(field, f"{value} is outside {EARLIEST} … {LATEST}")


def parse_day(field: str, value: str | None) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ParamError(field, f"not a date: {value!r} (use YYYY-MM-DD)") from None
    check_day(field, day)
    return day


def parse_limit(value: str | None, default: int = DEFAULT_LIMIT) -> int:
    if value is None or not value.strip():
        return default
    try:
        limit = int(value)
    except ValueError:
        raise ParamError("limit", f"not a number: {value!r}") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise ParamError("limit", f"must be between 1 and {MAX_LIMIT}, not {limit}")
    return limit


def make_filters(
    session: Session,
    catalog: MetricCatalog,
    *,
    source: str | None = None,
    regions: Sequence[str] = (),
    metric: str | None = None,
    topic: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    require_metric: bool = False,
) -> Filters:
    """Filters checked against what exists: an unknown metric, source or region is
    an error that lists what would have been valid."""
    for field, value in (("source", source), ("metric", metric), ("topic", topic)):
        check_text(field, value)
    for region in regions:
        check_text("region", region)
    since = parse_day("since", since) if isinstance(since, str) else since
    until = parse_day("until", until) if isinstance(until, str) else until
    check_day("since", since)
    check_day("until", until)
    source = (source or "").strip() or None
    metric = (metric or "").strip() or None
    topic = (topic or "").strip() or None
    wanted = tuple(dict.fromkeys(r.strip() for r in regions if r and r.strip()))
    if metric is None and require_metric:
        raise ParamError("metric", "required: a metric name (see /api/metrics)")
    if metric is not None:
        known = catalog.known(session)
        if metric not in known:
            raise ParamError(
                "metric", f"unknown metric {metric!r}; known: {', '.join(sorted(known))}"
            )
    if source is not None and session.get(Source, source) is None:
        raise ParamError("source", f"unknown source {source!r} (see /api/sources)")
    if wanted:
        stored = set(session.scalars(select(Source.region).distinct()))
        missing = [r for r in wanted if r not in stored]
        if missing:
            raise ParamError(
                "region",
                f"unknown region(s) {', '.join(map(repr, missing))}; "
                f"known: {', '.join(sorted(r for r in stored if r))}",
            )
    return Filters(
        source=source, regions=wanted, metric=metric, topic=topic, since=since, until=until
    )
