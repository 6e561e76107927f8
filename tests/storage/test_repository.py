"""Repository functions on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from crawlers.text import content_hash
from storage import articles, repository, runs
from storage.articles import RawPageData
from storage.db import Database
from storage.models import CrawlRun, Document, Figure, RawPage, Sighting
from storage.status import RunStatus


def add_sources(db: Database) -> None:
    with db.session() as session, session.begin():
        for sid in ("gd-gat", "mps"):
            repository.upsert_source(session, {"id": sid, "name": sid})


def store(db: Database, source: str, url: str, text: str) -> articles.StoreResult:
    with db.session() as session, session.begin():
        return articles.store_article(
            session,
            source_id=source,
            url=url,
            title="标题",
            published_at=datetime(2023, 11, 20, 2, tzinfo=UTC),
            language="zh",
            text=text,
            content_hash=content_hash(text),
            raw=RawPageData(url=url, body=text.encode("utf-8")),
        )


def count(db: Database, model: Any) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_release_is_stored_once_with_every_sighting(db: Database) -> None:
    add_sources(db)
    first = store(db, "gd-gat", "http://a/1.html", "全省侦办案件336起。")
    again = store(db, "gd-gat", "http://a/1.html", "全省侦办案件336起。")
    repost = store(db, "mps", "http://b/9.html", "全省侦办案件336起。")
    assert (first.kind, again.kind, repost.kind) == ("new", "duplicate", "repost")
    assert first.document_id == again.document_id == repost.document_id
    assert count(db, Document) == 1
    with db.session() as session:
        doc = session.scalars(select(Document)).one()
        assert {(s.source_id, s.url) for s in doc.sightings} == {
            ("gd-gat", "http://a/1.html"),
            ("mps", "http://b/9.html"),
        }
        assert doc.published_at == datetime(2023, 11, 20, 2, tzinfo=UTC)
    assert count(db, RawPage) == 3


def test_changed_text_at_a_url_is_a_new_version_linked_to_the_old(db: Database) -> None:
    add_sources(db)
    old = store(db, "gd-gat", "http://a/1.html", "全省侦办案件336起。")
    new = store(db, "gd-gat", "http://a/1.html", "全省侦办案件338起。")
    assert new.kind == "version"
    assert new.previous_id == old.document_id
    with db.session() as session:
        doc = session.get(Document, new.document_id)
        assert doc is not None and doc.previous_id == old.document_id
        current = session.scalars(
            select(Sighting.document_id).where(
                Sighting.url == "http://a/1.html", Sighting.current.is_(True)
            )
        ).all()
        assert current == [new.document_id]
        assert repository.known_article_urls(session, "gd-gat") == {"http://a/1.html"}


def test_figures_are_unique_per_document_and_span(db: Database) -> None:
    add_sources(db)
    result = store(db, "gd-gat", "http://a/1.html", "全省侦办案件336起。")
    figure = {
        "text": "侦办案件336起", "start": 2, "end": 10, "value": 336, "unit": "case",
        "qualifier": "exact", "metric": "cases_investigated", "topic": "other",
    }  # fmt: skip
    for _ in range(2):
        with db.session() as session, session.begin():
            doc = session.get(Document, result.document_id)
            assert doc is not None
            stored = articles.store_figures(session, doc, [figure], extractor_version=1)
            assert len(stored) == 1
    assert count(db, Figure) == 1


def test_validators_of_listing_pages_are_saved_and_updated(db: Database) -> None:
    add_sources(db)
    for etag in ('"v1"', '"v2"'):
        with db.session() as session, session.begin():
            repository.save_listing_page(
                session, source_id="mps", url="http://b/index.html", etag=etag,
                last_modified=None, next_url="http://b/index_1.html", items=20,
            )  # fmt: skip
    with db.session() as session:
        state = repository.listing_states(session, "mps")["http://b/index.html"]
        assert (state.etag, state.next_url) == ('"v2"', "http://b/index_1.html")


def test_runs_of_dead_processes_are_marked_killed(db: Database) -> None:
    add_sources(db)
    with db.session() as session, session.begin():
        run = runs.open_run(session, "mps", pid=999_999_999)
    with db.session() as session, session.begin():
        assert runs.abandon_runs(session, "mps", lambda pid: False) == 1
    with db.session() as session:
        latest = session.get(CrawlRun, run.id)
        assert latest is not None and latest.status == RunStatus.KILLED
        assert latest.reason == runs.ABANDONED_REASON
