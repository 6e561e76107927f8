"""`figure_totals` (migration 0009) stays what the figures say, on SQLite and
PostgreSQL, through every way figures change: storing, re-extraction, a new
version of a release, a release's date changing, a figure changed or deleted,
and a release deleted."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from crawlers.reextract import reextract_documents
from crawlers.text import content_hash
from extraction import EXTRACTOR_VERSION, extract_figures
from storage import articles, repository
from storage.db import Database
from storage.models import Document, Figure, FigureTotal

T0 = datetime(2024, 2, 29, 16, 30, tzinfo=UTC)
Row = tuple[int, str, str, str, datetime | None, Decimal, int]


def _number(value: Any) -> Decimal:
    return Decimal(str(value)).normalize()


def recomputed(session: Session) -> set[Row]:
    """The totals as a fresh GROUP BY over the figures says they should be."""
    rows = session.execute(
        select(
            Figure.document_id,
            Figure.metric,
            Figure.unit,
            Figure.source_id,
            Document.published_at,
            func.sum(Figure.value),
            func.count(),
        )
        .join(Document, Document.id == Figure.document_id)
        .group_by(
            Figure.document_id, Figure.metric, Figure.unit, Figure.source_id, Document.published_at
        )
    )
    return {(*r[:5], _number(r[5]), int(r[6])) for r in rows}


def kept(session: Session) -> set[Row]:
    rows = session.execute(
        select(
            FigureTotal.document_id,
            FigureTotal.metric,
            FigureTotal.unit,
            FigureTotal.source_id,
            FigureTotal.published_at,
            FigureTotal.total,
            FigureTotal.figures,
        )
    )
    return {(*r[:5], _number(r[5]), int(r[6])) for r in rows}


def assert_totals_right(db: Database) -> set[Row]:
    with db.session() as session:
        expected = recomputed(session)
        assert kept(session) == expected
    return expected


def add_sources(db: Database) -> None:
    with db.session() as session, session.begin():
        for sid in ("gd-gat", "zj-gat"):
            repository.upsert_source(session, {"id": sid, "name": sid})


def store(
    db: Database, source: str, url: str, text: str, published: datetime | None = T0
) -> articles.StoreResult:
    with db.session() as session, session.begin():
        return articles.store_article(
            session, source_id=source, url=url, title="标题", published_at=published,
            language="zh", text=text, content_hash=content_hash(text),
        )  # fmt: skip


def figure(start: int, metric: str, value: Any, unit: str = "person") -> dict[str, Any]:
    return {
        "text": f"span{start}", "start": start, "end": start + 5, "value": value, "unit": unit,
        "qualifier": "exact", "metric": metric, "topic": "fraud",
    }  # fmt: skip


def add(db: Database, document_id: int, source: str, figures: list[dict[str, Any]]) -> None:
    with db.session() as session, session.begin():
        articles.add_figures(session, document_id, source, figures, extractor_version=1)


def test_storing_figures_sums_them_per_release_metric_and_unit(db: Database) -> None:
    add_sources(db)
    doc = store(db, "gd-gat", "http://a/1.html", "全省抓获犯罪嫌疑人120名。").document_id
    add(db, doc, "gd-gat", [
        figure(0, "suspects_detained", 120), figure(10, "suspects_detained", 30.5),
        figure(20, "suspects_detained", 7, unit="group"), figure(30, "cases_investigated", 4),
    ])  # fmt: skip
    add(db, doc, "gd-gat", [figure(0, "suspects_detained", 120)])  # already there: ignored
    rows = assert_totals_right(db)
    assert {(r[1], r[2], r[5], r[6]) for r in rows} == {
        ("suspects_detained", "person", Decimal("150.5"), 2),
        ("suspects_detained", "group", Decimal(7), 1),
        ("cases_investigated", "person", Decimal(4), 1),
    }
    assert {r[4] for r in rows} == {T0}


def test_reextraction_replaces_the_totals_of_the_figures_it_replaces(db: Database) -> None:
    add_sources(db)
    text = "全省抓获犯罪嫌疑人120名，破获案件36起。"
    doc = store(db, "gd-gat", "http://a/1.html", text).document_id
    found = [f.to_dict() for f in extract_figures(text, "zh")]
    assert len(found) == 2
    # An older extractor read 120 as 12 and found a figure that is not there.
    wrong = [{**found[0], "value": 12}, figure(40, "suspects_detained", 1000)]
    add(db, doc, "gd-gat", wrong + found[1:])
    before = assert_totals_right(db)
    report = reextract_documents(db, EXTRACTOR_VERSION + 1)
    assert report.documents == 1 and report.documents_changed == 1
    after = assert_totals_right(db)
    assert after != before
    detained = {r for r in after if r[1] == found[0]["metric"]}
    assert {(r[5], r[6]) for r in detained} == {(Decimal(120), 1)}


def test_a_new_version_keeps_its_own_totals_and_the_old_ones_stay(db: Database) -> None:
    add_sources(db)
    old = store(db, "gd-gat", "http://a/1.html", "全省抓获犯罪嫌疑人120名。").document_id
    add(db, old, "gd-gat", [figure(0, "suspects_detained", 120)])
    new = store(db, "gd-gat", "http://a/1.html", "全省抓获犯罪嫌疑人150名。")
    assert new.kind == "version"
    add(db, new.document_id, "gd-gat", [figure(0, "suspects_detained", 150)])
    rows = assert_totals_right(db)
    assert {(r[0], r[5]) for r in rows} == {(old, Decimal(120)), (new.document_id, Decimal(150))}


def test_a_release_whose_date_changes_moves_its_totals(db: Database) -> None:
    add_sources(db)
    doc = store(db, "gd-gat", "http://a/1.html", "抓获120名。", published=None).document_id
    add(db, doc, "gd-gat", [figure(0, "suspects_detained", 120)])
    assert {r[4] for r in assert_totals_right(db)} == {None}
    later = T0 + timedelta(days=40)
    with db.session() as session, session.begin():
        session.execute(update(Document).where(Document.id == doc).values(published_at=later))
    assert {r[4] for r in assert_totals_right(db)} == {later}


def test_changed_and_deleted_figures_and_releases_leave_no_stale_totals(db: Database) -> None:
    add_sources(db)
    first = store(db, "gd-gat", "http://a/1.html", "第一篇。").document_id
    second = store(db, "zj-gat", "http://b/2.html", "第二篇。").document_id
    add(
        db, first, "gd-gat", [figure(0, "suspects_detained", 1), figure(10, "suspects_detained", 2)]
    )
    add(
        db,
        second,
        "zj-gat",
        [figure(0, "suspects_detained", 5), figure(10, "cases_investigated", 6)],
    )
    with db.session() as session, session.begin():
        # another value, then another metric: the figure moves from one total to another
        session.execute(
            update(Figure).where(Figure.document_id == first, Figure.start == 0).values(value=10.25)
        )
        session.execute(
            update(Figure)
            .where(Figure.document_id == first, Figure.start == 10)
            .values(metric="cases_investigated")
        )
    rows = assert_totals_right(db)
    assert {(r[1], r[5]) for r in rows if r[0] == first} == {
        ("suspects_detained", Decimal("10.25")),
        ("cases_investigated", Decimal(2)),
    }
    with db.session() as session, session.begin():
        session.execute(delete(Figure).where(Figure.document_id == first, Figure.start == 0))
    rows = assert_totals_right(db)
    assert {r[1] for r in rows if r[0] == first} == {"cases_investigated"}
    with db.session() as session, session.begin():  # its figures go with it (ON DELETE CASCADE)
        session.execute(delete(Document).where(Document.id == second))
    rows = assert_totals_right(db)
    assert {r[0] for r in rows} == {first}


def test_totals_stay_right_through_many_random_changes(db: Database) -> None:
    add_sources(db)
    rng = random.Random(9)
    docs = [
        (store(db, source, f"http://x/{n}.html", f"第{n}篇。").document_id, source)
        for n, source in enumerate(["gd-gat", "zj-gat"] * 4)
    ]
    metrics = ("suspects_detained", "cases_investigated", "funds_seized_frozen")
    for step in range(60):
        doc, source = rng.choice(docs)
        with db.session() as session, session.begin():
            stored = session.scalars(select(Figure.id).where(Figure.document_id == doc)).all()
            action = rng.random()
            if action < 0.5 or not stored:
                value = rng.choice((1, 7, 250, 0.5, 2.75, 1e6))
                unit = rng.choice(("person", "CNY"))
                articles.add_figures(
                    session, doc, source,
                    [figure(rng.randrange(200), rng.choice(metrics), value, unit)], 1,
                )  # fmt: skip
            elif action < 0.75:
                session.execute(delete(Figure).where(Figure.id == rng.choice(stored)))
            else:
                session.execute(
                    update(Figure)
                    .where(Figure.id == rng.choice(stored))
                    .values(value=rng.choice((3, 0.25)), metric=rng.choice(metrics))
                )
        if step % 10 == 9:
            assert_totals_right(db)
    assert assert_totals_right(db)
