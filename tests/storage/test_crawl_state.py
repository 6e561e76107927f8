"""A source's crawl state is its own (issue 11: D11, D12), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from storage import repository
from storage.db import Database
from storage.listed_urls import remember_listed_url
from storage.models import Document, PageFailure, Sighting
from tests.storage.test_repository import add_sources, store

LISTING = "http://b/index.html"


def save(db: Database, source_id: str, etag: str) -> None:
    with db.session() as session, session.begin():
        repository.save_listing_page(
            session, source_id=source_id, url=LISTING, etag=etag,
            last_modified=None, next_url=None, items=1,
        )  # fmt: skip


def test_two_sources_on_one_listing_url_keep_their_own_validators(db: Database) -> None:
    add_sources(db)
    save(db, "mps", '"mps-1"')
    save(db, "gd-gat", '"gat-1"')
    save(db, "mps", '"mps-2"')
    with db.session() as session:
        assert repository.listing_states(session, "mps")[LISTING].etag == '"mps-2"'
        assert repository.listing_states(session, "gd-gat")[LISTING].etag == '"gat-1"'


def test_a_source_seeing_another_sources_url_gets_its_own_sighting(db: Database) -> None:
    add_sources(db)
    text = "全省侦办案件336起，抓获犯罪嫌疑人12名。"
    first = store(db, "gd-gat", "http://a/1.html", text)
    second = store(db, "mps", "http://a/1.html", text)  # the same URL, listed by mps too
    again = store(db, "mps", "http://a/1.html", text)
    assert (first.kind, second.kind, again.kind) == ("new", "repost", "duplicate")
    with db.session() as session:
        sightings = session.scalars(select(Sighting.source_id).order_by(Sighting.id)).all()
        assert sightings == ["gd-gat", "mps"]
        assert repository.known_article_urls(session, "mps") == {"http://a/1.html"}
        listed = repository.list_documents(session, source="mps")
        assert [d.url for d in listed] == ["http://a/1.html"]


def test_a_new_version_at_a_url_retires_only_that_sources_sighting(db: Database) -> None:
    add_sources(db)
    store(db, "gd-gat", "http://a/1.html", "全省侦办案件336起。")
    store(db, "mps", "http://a/1.html", "全省侦办案件336起。")
    revised = store(db, "mps", "http://a/1.html", "全省侦办案件337起。")
    assert revised.kind == "version"
    with db.session() as session:
        current = session.execute(
            select(Sighting.source_id, Sighting.current).order_by(Sighting.id)
        ).all()
        assert [tuple(row) for row in current] == [("gd-gat", True), ("mps", False), ("mps", True)]


def test_a_listed_url_that_redirected_is_known(db: Database) -> None:
    add_sources(db)
    result = store(db, "mps", "http://a/final.html", "全省侦办案件336起。")
    with db.session() as session, session.begin():
        for _ in range(2):  # remembering twice is harmless
            remember_listed_url(
                session, source_id="mps", url="http://a/go?id=1",
                final_url="http://a/final.html", document_id=result.document_id,
            )  # fmt: skip
    with db.session() as session:
        assert repository.known_article_urls(session, "mps") == {
            "http://a/final.html",
            "http://a/go?id=1",
        }
        assert repository.known_article_urls(session, "gd-gat") == set()
    # the listed URL goes with its document
    with db.session() as session, session.begin():
        session.execute(delete(Document).where(Document.id == result.document_id))
    with db.session() as session:
        assert repository.known_article_urls(session, "mps") == set()


def fail(db: Database, url: str, code: str) -> tuple[bool, float | None]:
    """Record a failure of `url` with `code`: whether it is permanent, and the hours
    until it is due again (None: never)."""
    with db.session() as session, session.begin():
        repository.record_page_failure(session, source_id="mps", url=url, error="m", code=code)
    with db.session() as session:
        row = session.get(PageFailure, ("mps", url))
        assert row is not None and row.code == code
        if row.retry_at is None:
            return row.permanent, None
        return row.permanent, round((row.retry_at - row.failed_at).total_seconds() / 3600, 3)


@pytest.mark.parametrize("code", ["http_404", "http_410", "not_html"])
def test_a_page_gone_or_a_file_is_never_fetched_again(db: Database, code: str) -> None:
    add_sources(db)
    assert fail(db, "http://a/file.pdf", code) == (True, None)
    with db.session() as session:
        assert repository.page_failures(session, "mps") == {"http://a/file.pdf": None}


@pytest.mark.parametrize("code", ["timeout", "http_503", "robots_disallowed", "too_large"])
def test_a_transient_failure_is_tried_after_1_6_and_24_hours_then_given_up(
    db: Database, code: str
) -> None:
    add_sources(db)
    schedule = [fail(db, "http://a/1.html", code) for _ in range(4)]
    assert schedule == [(False, 1.0), (False, 6.0), (False, 24.0), (False, None)]


def test_a_failure_on_our_side_is_tried_at_the_next_crawl(db: Database) -> None:
    add_sources(db)
    for code in ("dependency_missing", "store_error"):
        assert [fail(db, f"http://a/{code}.html", code) for _ in range(5)] == [(False, 0.0)] * 5
