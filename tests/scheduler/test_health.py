"""The health watch, judged on crawl-run rows written by hand (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from alerts.config import RuleConfig, WebhookConfig
from scheduler.health import HealthPolicy, check_sources
from storage import articles, repository, runs
from storage.db import Database
from storage.models import Alert, CrawlRun, Sighting, Source

NOW = datetime(2025, 3, 1, 4, 0, tzinfo=UTC)
HOOKS = [
    WebhookConfig(id="ops", url="https://hooks.example.org/x"),
    WebhookConfig(
        id="muted", url="https://hooks.example.org/y", rules=RuleConfig(sources=["other"])
    ),
]


def add_source(db: Database, source_id: str = "src") -> None:
    with db.session() as session, session.begin():
        repository.upsert_source(session, {"id": source_id, "name": "A source"})


def add_run(db: Database, status: str, source_id: str = "src", **values: Any) -> int:
    defaults: dict[str, Any] = {
        "listing_pages": 1,
        "listing_items": 20,
        "articles_fetched": 2,
        "empty_bodies": 0,
        "errors": [],
        "reason": None if status in ("ok", "partial") else f"{status} for a reason",
    }
    defaults.update(values)
    with db.session() as session, session.begin():
        run = runs.open_run(session, source_id, pid=1)
        runs.finish_run(session, run.id, status=status, **defaults)
        return run.id


def health_events(db: Database) -> list[tuple[str, str, str]]:
    with db.session() as session:
        return [
            (a.webhook_id, a.event_type, a.event_key)
            for a in session.scalars(select(Alert).order_by(Alert.created_at, Alert.event_key))
        ]


def source_row(db: Database, source_id: str = "src") -> Source:
    with db.session() as session:
        row = session.get(Source, source_id)
        assert row is not None
        return row


def check(db: Database, **kwargs: Any) -> list[Any]:
    return check_sources(db, HOOKS, ["src"], now=NOW, **kwargs)


def test_empty_listing_where_it_used_to_have_items_marks_unhealthy_once(db: Database) -> None:
    add_source(db)
    add_run(db, "ok")
    assert check(db) == []
    error = {"url": "u", "error": "the list selector 'ul li' matched nothing", "kind": "listing"}
    broken = add_run(db, "failed", listing_items=0, articles_fetched=0, errors=[error])
    [change] = check(db)
    assert not change.healthy and change.run_id == broken and change.alerts == 1
    assert "listing yields no items" in (change.reason or "")
    assert "matched nothing" in (change.reason or "")
    # The same problem again: no second event, only the reason kept current.
    add_run(db, "failed", listing_items=0, articles_fetched=0, errors=[error])
    add_run(db, "failed", listing_items=0, articles_fetched=0, errors=[error])
    assert check(db) == []
    assert health_events(db) == [("ops", "source.health", f"source.health:src:{broken}")]
    row = source_row(db)
    assert row.healthy is False and "3 failed runs in a row" in (row.health_reason or "")
    # Recovery: one event, then silence.
    fixed = add_run(db, "ok")
    [back] = check(db)
    assert back.healthy and back.run_id == fixed
    assert check(db) == []
    assert [e[1] for e in health_events(db)] == ["source.health", "source.recovered"]
    row = source_row(db)
    assert row.healthy is True and row.health_reason is None
    assert row.health_changed_at is not None


def test_a_listing_that_never_had_items_is_left_to_the_failure_count(db: Database) -> None:
    add_source(db)
    add_run(db, "failed", listing_items=0)
    assert check(db) == []


def test_conditional_get_with_nothing_new_is_healthy(db: Database) -> None:
    add_source(db)
    add_run(db, "ok")
    add_run(db, "ok", listing_items=0, articles_fetched=0)  # every listing page said 304
    assert check(db) == []


def empty(url: str) -> dict[str, str]:
    return {
        "url": url,
        "code": "empty_body",
        "error": "the article body selector 'div.x' matched nothing",
        "kind": "article",
    }


def test_article_selector_matching_nothing(db: Database) -> None:
    add_source(db)
    add_run(db, "ok")
    add_run(db, "partial", articles_fetched=1, empty_bodies=1, errors=[empty("a")])
    assert check(db) == []  # one odd page is not a layout change
    add_run(db, "ok", articles_fetched=0)  # nothing new: says nothing either way
    add_run(db, "partial", articles_fetched=1, empty_bodies=1, errors=[empty("a")])
    assert check(db) == []  # the same odd page again
    add_run(db, "partial", articles_fetched=1, empty_bodies=1, errors=[empty("b")])
    [change] = check(db)
    assert not change.healthy
    assert "none of the last 2 articles fetched had a body" in (change.reason or "")
    assert "div.x" in (change.reason or "")
    add_run(db, "ok", articles_fetched=1)
    [back] = check(db)
    assert back.healthy


def test_an_odd_page_between_good_ones_is_no_problem(db: Database) -> None:
    add_source(db)
    add_run(db, "partial", articles_fetched=1, empty_bodies=1, errors=[empty("a")])
    add_run(db, "partial", articles_fetched=3, empty_bodies=1, errors=[empty("b")])
    add_run(db, "partial", articles_fetched=1, empty_bodies=1, errors=[empty("c")])
    assert check(db) == []
    http = {"url": "d", "code": "http_404", "error": "HTTP 404", "kind": "article"}
    add_run(db, "partial", articles_fetched=0, errors=[http])
    assert check(db) == []


def test_failures_in_a_row_and_killed_runs_in_between(db: Database) -> None:
    add_source(db)
    add_run(db, "ok")
    add_run(db, "failed")
    add_run(db, "killed")  # the daemon's shutdown: neither a failure nor a success
    add_run(db, "failed")
    assert check(db) == []
    add_run(db, "failed")
    [change] = check(db)
    assert "3 failed runs in a row (last: failed for a reason)" in (change.reason or "")
    assert check(db, policy=HealthPolicy(failures_in_row=5)) != []  # recovers under a laxer policy


def store_releases(db: Database, *, newest_days_ago: int, watched_since: datetime) -> None:
    with db.session() as session, session.begin():
        for n in range(8):  # a release every 2 days
            published = NOW - timedelta(days=newest_days_ago + 2 * n)
            articles.store_article(
                session,
                source_id="src",
                url=f"https://example.org/{n}.html",
                title=f"Release {n}",
                published_at=published,
                language="zh",
                text=f"release {n}",
                content_hash=f"{n:064d}",
            )
        session.execute(update(Sighting).values(first_seen=watched_since))


def test_no_new_release_for_far_longer_than_usual(db: Database) -> None:
    add_source(db)
    add_run(db, "ok")
    store_releases(db, newest_days_ago=30, watched_since=NOW - timedelta(days=60))
    [change] = check(db)
    assert not change.healthy
    assert "no new release for 30 days (usually one every 2.0 days)" in (change.reason or "")
    # Twenty-five days earlier the silence was still ordinary.
    with db.session() as session, session.begin():
        row = session.get(Source, "src")
        assert row is not None
        row.healthy, row.health_reason = True, None
    assert check_sources(db, HOOKS, ["src"], now=NOW - timedelta(days=25)) == []


def test_old_releases_of_a_source_first_crawled_today_are_not_silence(db: Database) -> None:
    add_source(db)
    add_run(db, "ok")
    store_releases(db, newest_days_ago=300, watched_since=NOW - timedelta(hours=1))
    assert check(db) == []
    # Watched for 30 days with nothing new: now that is silence.
    with db.session() as session, session.begin():
        session.execute(update(Sighting).values(first_seen=NOW - timedelta(days=30)))
    [change] = check(db)
    assert "no new release for 30 days" in (change.reason or "")


def test_without_webhooks_the_source_row_still_changes(db: Database) -> None:
    add_source(db)
    for _ in range(3):
        add_run(db, "failed")
    [change] = check_sources(db, [], ["src"], now=NOW)
    assert change.alerts == 0 and source_row(db).healthy is False
    assert health_events(db) == []


def test_unknown_source_is_skipped(db: Database) -> None:
    assert check_sources(db, HOOKS, ["nowhere"], now=NOW) == []
    with db.session() as session:
        assert session.scalars(select(CrawlRun)).first() is None


def failed_page(url: str, code: str, message: str) -> dict[str, str]:
    return {"url": url, "code": code, "error": message, "kind": "article"}


def test_every_article_failing_raises_health_on_the_first_run_by_code(db: Database) -> None:
    add_source(db)
    add_run(db, "ok")
    errors = [failed_page(u, "dependency_missing", "No module named 'x'") for u in "abc"]
    run_id = add_run(db, "failed", articles_fetched=3, errors=errors)
    [change] = check(db)
    assert not change.healthy and change.run_id == run_id
    assert change.reason == "every article failed: dependency_missing ×3 (No module named 'x')"
    assert health_events(db) == [("ops", "source.health", f"source.health:src:{run_id}")]


def test_the_watch_reads_codes_not_messages(db: Database) -> None:
    add_source(db)
    add_run(db, "ok")
    # The spider's old words for an empty body, under another code: not an empty body.
    worded = [failed_page(u, "http_404", "the article body selector matched nothing") for u in "ab"]
    add_run(db, "partial", articles_fetched=2, new_documents=1, errors=worded)
    assert check(db) == []
    # Empty bodies whatever their words: two distinct pages are a layout change.
    coded = [failed_page(u, "empty_body", "nothing to read here") for u in "cd"]
    add_run(db, "partial", articles_fetched=2, empty_bodies=2, errors=coded)
    [change] = check(db)
    assert "none of the last 2 articles fetched had a body" in (change.reason or "")


def test_a_missing_dependency_is_a_problem_even_where_other_pages_were_stored(
    db: Database,
) -> None:
    add_source(db)
    errors = [failed_page("a", "dependency_missing", "No module named 'lxml.html.clean'")]
    add_run(db, "partial", articles_fetched=4, new_documents=3, errors=errors)
    [change] = check(db)
    assert change.reason is not None and "dependency_missing" in change.reason
