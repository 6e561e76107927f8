"""`bulletins figures list --metric` and `figures reextract`, through the real command on
a real SQLite file (and PostgreSQL where it runs)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from crawlers.text import content_hash
from extraction import EXTRACTOR_VERSION, METRIC_NAMES
from storage import articles, repository
from storage.db import Database
from storage.models import Document, Figure

TEXT = "公安部：今年以來共偵破跨境賭博案件1萬餘起，凍結涉賭資金約27億元，同比上升12.5%。"


def cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bulletins.cli", "--db", url, *args],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def old_figure(text: str, start: int, value: int, unit: str, qualifier: str, metric: str) -> dict:
    return {"text": text, "start": start, "end": start + len(text), "value": value, "unit": unit,
            "qualifier": qualifier, "metric": metric, "topic": "gambling"}  # fmt: skip


def store_v1_document(db: Database) -> int:
    """A release stored by extractor v1, which read Traditional characters badly: it missed
    1萬餘起, gave the frozen money no metric and took a stray 1 for a figure."""
    with db.session() as session, session.begin():
        repository.upsert_source(session, {"id": "hk-news", "name": "hk-news"})
        stored = articles.store_article(
            session, source_id="hk-news", url="http://127.0.0.1/a.html", title="t",
            published_at=datetime(2024, 1, 2, tzinfo=UTC), language="zh", text=TEXT,
            content_hash=content_hash(TEXT),
        )  # fmt: skip
        money = TEXT.index("凍結")
        v1 = [
            old_figure("凍結涉賭資金約27億元", money, 2_700_000_000, "CNY", "exact", "other"),
            old_figure("1萬", TEXT.index("1萬"), 1, "case", "exact", "other"),
        ]
        articles.add_figures(session, stored.document_id, "hk-news", v1, 1)
        return stored.document_id


def test_reextract_brings_documents_to_the_new_version_and_says_what_changed(
    database_url: str,
) -> None:
    db = Database(database_url)
    doc_id = store_v1_document(db)
    run = cli(database_url, "figures", "reextract", "--json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["version"] == EXTRACTOR_VERSION == 2
    assert report["documents"] == report["documents_changed"] == 1
    assert report["previous_versions"] == {"1": 1}
    by_change = {c["change"]: c for c in report["changes"]}
    changed = by_change["changed"]
    assert changed["old"]["metric"] == "other" and changed["new"]["metric"] == "funds_seized_frozen"
    assert changed["old"]["qualifier"] == "exact" and changed["new"]["qualifier"] == "about"
    assert by_change["removed"]["old"]["text"] == "1萬"
    added = {(c["new"]["value"], c["new"]["unit"], c["new"]["direction"])
             for c in report["changes"] if c["change"] == "added"}  # fmt: skip
    assert (10000, "case", None) in added
    assert (12.5, "percent", "up") in added
    assert (report["added"], report["removed"], report["changed"]) == (len(added), 1, 1)

    with db.session() as session:
        figures = list(session.scalars(select(Figure).where(Figure.document_id == doc_id)))
        assert {f.extractor_version for f in figures} == {2}
        assert session.get(Document, doc_id).extractor_version == 2  # type: ignore[union-attr]
        change = next(f for f in figures if f.unit == "percent")
        assert (change.value, change.direction) == (Decimal("12.5"), "up")

    # Up to date now: nothing to do; --all re-reads and finds nothing changed.
    again = json.loads(cli(database_url, "figures", "reextract", "--json").stdout)
    assert again["documents"] == 0 and again["changes"] == []
    everything = json.loads(cli(database_url, "figures", "reextract", "--all", "--json").stdout)
    assert everything["documents"] == 1 and everything["changes"] == []
    assert everything["unchanged"] == len(figures)
    db.dispose()


def test_reextract_prints_each_change(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    store_v1_document(db)
    db.dispose()
    run = cli(sqlite_url, "figures", "reextract")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("re-extracted 1 document(s) (v1: 1) with extractor v2:")
    assert "1 removed, 1 changed" in lines[0]
    changed = " ~ qualifier exact -> about, metric other -> funds_seized_frozen"
    assert any(changed in x for x in lines)
    assert any(" + 10,000 case more_than cases_investigated: " in x for x in lines)
    assert any(" - 1 case exact other: 1萬" in x for x in lines)


def test_figures_list_rejects_an_unknown_metric_with_the_valid_ones(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    store_v1_document(db)
    db.dispose()
    cli(sqlite_url, "figures", "reextract")
    bad = cli(sqlite_url, "figures", "list", "--metric", "suspects_caught")
    assert bad.returncode == 2
    assert "unknown metric 'suspects_caught'" in bad.stderr
    assert all(name in bad.stderr for name in METRIC_NAMES)
    assert bad.stdout == ""
    good = cli(sqlite_url, "figures", "list", "--metric", "cases_investigated", "--json")
    assert good.returncode == 0, good.stderr
    rows = json.loads(good.stdout)
    assert [(r["value"], r["metric"], r["direction"]) for r in rows] == [
        (10000, "cases_investigated", None)
    ]
    listed = json.loads(cli(sqlite_url, "figures", "list", "--json").stdout)
    assert {r["direction"] for r in listed} == {None, "up"}
    empty = cli(sqlite_url, "figures", "list", "--metric", "persons_rescued")
    assert empty.returncode == 0 and "0 figure(s)" in empty.stdout
