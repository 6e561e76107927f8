"""Series against sums worked out here from the figures themselves, on SQLite and
PostgreSQL: without a topic they come from `figure_totals`, with one from the
figures; both must give what a plain count of the figures gives, per region,
unit and period of the site's calendar (releases near midnight included)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from storage import articles, repository
from storage.db import Database
from storage.models import Document, Figure, Source
from web.query.dates import Interval, period_label, site_date
from web.query.detail import plain_number
from web.query.filters import Filters
from web.query.series import build_series

TZ = "Asia/Shanghai"
SOURCES = {"gd-1": "Guangdong", "gd-2": "Guangdong", "zj": "Zhejiang", "mps": "China"}
METRICS = ("suspects_detained", "cases_investigated")
START = datetime(2023, 11, 1, tzinfo=UTC)

# (region, unit) -> period -> (sum, figures, releases)
Sums = dict[tuple[str, str], dict[str, tuple[Any, int, int]]]


def seed(db: Database) -> None:
    rng = random.Random(15)
    with db.session() as session, session.begin():
        for sid, region in SOURCES.items():
            repository.upsert_source(session, {"id": sid, "name": sid, "region": region})
        for n in range(40):
            source = rng.choice(list(SOURCES))
            # Some within an hour of midnight where the site is (16:00 UTC).
            hour = rng.choice((15, 15.5, 16, 16.5, 2, 9))
            published = START + timedelta(days=rng.randrange(460), hours=hour)
            text = f"第{n}篇通报。"
            stored = articles.store_article(
                session, source_id=source, url=f"http://{source}/{n}.html", title=text,
                published_at=None if n % 13 == 0 else published, language="zh", text=text,
                content_hash=f"hash-{n}",
            )  # fmt: skip
            topic = rng.choice(("fraud", "gambling"))
            figures = []
            for start in range(rng.randrange(1, 6)):
                metric = rng.choice(METRICS)
                unit = rng.choice(("person", "group")) if metric == METRICS[0] else "case"
                figures.append({
                    "text": "x", "start": start * 10, "end": start * 10 + 5,
                    "value": rng.choice((1, 2.5, 40, 0.25, 1000)), "unit": unit,
                    "qualifier": "exact", "metric": metric,
                    # now and then a figure of another topic than the release's
                    "topic": topic if rng.random() < 0.85 else "drugs",
                })  # fmt: skip
            articles.add_figures(session, stored.document_id, source, figures, 1)
    with db.session() as session, session.begin():  # what re-extraction and revisions do
        ids = session.scalars(select(Figure.id).order_by(Figure.id)).all()
        session.execute(delete(Figure).where(Figure.id.in_(ids[::7])))
        session.execute(update(Figure).where(Figure.id.in_(ids[1::9])).values(value=3))
        first = session.scalars(select(Document.id).order_by(Document.id)).first()
        session.execute(
            update(Document)
            .where(Document.id == first)
            .values(published_at=datetime(2024, 6, 30, 16, 0, tzinfo=UTC))
        )


def expected(db: Database, filters: Filters, interval: Interval) -> tuple[Sums, int]:
    """The sums, by reading every figure and its release's date here."""
    sums: dict[tuple[str, str], dict[str, list[Any]]] = defaultdict(dict)
    releases: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    undated = 0
    with db.session() as session:
        regions = dict(session.execute(select(Source.id, Source.region)).all())
        rows = session.execute(
            select(Figure, Document.published_at).join(Document, Document.id == Figure.document_id)
        ).all()
    for fig, published in rows:
        region = regions[fig.source_id]
        if fig.metric != filters.metric or (filters.topic and fig.topic != filters.topic):
            continue
        if (filters.regions and region not in filters.regions) or (
            filters.source and fig.source_id != filters.source
        ):
            continue
        day = site_date(published, TZ)
        if day is None:
            if not (filters.since or filters.until):
                undated += 1
            continue
        if (filters.since and day < filters.since) or (filters.until and day > filters.until):
            continue
        label = period_label(day, interval)
        cell = sums[(region, fig.unit)].setdefault(label, [Decimal(0), 0])
        cell[0] += Decimal(str(fig.value))
        cell[1] += 1
        releases[(region, fig.unit, label)].add(fig.document_id)
    return {
        key: {
            label: (plain_number(total), count, len(releases[(*key, label)]))
            for label, (total, count) in by_period.items()
        }
        for key, by_period in sums.items()
    }, undated


def actual(db: Database, filters: Filters, interval: Interval) -> tuple[Sums, int]:
    with db.session() as session:
        result = build_series(session, filters, interval, TZ)
    sums: Sums = {}
    for series in result.series:
        labels = [p.period for p in series.points]
        assert len(labels) == len(set(labels)) and labels == sorted(labels)
        sums[(series.region, series.unit)] = {
            p.period: (p.sum, p.figures, p.releases) for p in series.points if p.sum is not None
        }
        # between a series' first and last point, periods without figures are gaps
        assert all(p.figures == p.releases == 0 for p in series.points if p.sum is None)
    return sums, result.undated


@pytest.mark.parametrize("interval", ["month", "quarter", "year"])
@pytest.mark.parametrize(
    "narrowed",
    [
        {},
        {"topic": "fraud"},
        {"regions": ("Guangdong",)},
        {"regions": ("Zhejiang", "China"), "topic": "gambling"},
        {"source": "gd-2"},
        {"since": date(2024, 3, 1), "until": date(2024, 7, 31)},
        # the release moved to 00:00 on 1 July (site time), alone on its day
        {"since": date(2024, 7, 1), "until": date(2024, 7, 1)},
        # two releases at 00:30 on 1 February (site time), still January in UTC
        {"since": date(2025, 2, 1)},
    ],
)
def test_series_sum_what_the_figures_say(
    db: Database, interval: Interval, narrowed: dict[str, Any]
) -> None:
    seed(db)
    summed = 0
    for metric in METRICS:
        filters = Filters(metric=metric, **narrowed)
        want, undated = expected(db, filters, interval)
        got, got_undated = actual(db, filters, interval)
        assert got == want
        assert got_undated == undated
        summed += sum(len(by_period) for by_period in want.values())
    assert summed, "the data gives every narrowing something to sum"
