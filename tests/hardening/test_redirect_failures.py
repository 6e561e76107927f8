"""Issue 11, quiet failures around redirects (the hostile replica site, `bulletins crawl`).

- ``converge``: an article listed directly and through two redirects to it. Scrapy's
  duplicate filter used to drop the redirected requests without a word: the listed
  URLs were never known, so every crawl fetched them again (and dropped them again).
- ``moved-broken``: listed URLs that redirect to a page without a body and to a
  missing page. The failure was recorded under the final URL only, so the listed
  URL was not known and was fetched again on every crawl, whatever its retry time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from replica import ReplicaServer
from replica.sites.hostile import CONVERGE, MOVED_BROKEN, hostile_source
from storage.db import Database
from storage.models import PageFailure, RawPage
from tests.e2e.test_hostile import configure, count, crawl, stored

pytestmark = pytest.mark.e2e


@pytest.fixture
def hostile() -> Iterator[ReplicaServer]:
    with ReplicaServer(hang_seconds=30) as server:
        yield server


def index_path(scenario: str) -> str:
    return f"/hostile/{scenario}/index.html"


def test_redirects_to_an_article_fetched_in_the_same_crawl_are_known_sightings(
    hostile: ReplicaServer, tmp_path: Path, database_url: str
) -> None:
    source = hostile_source("converge", hostile.url)
    config = configure(tmp_path, database_url, [source])
    first = crawl(config, source["id"])[source["id"]]
    assert first["status"] == "ok", first["errors"]
    assert first["new_documents"] == 1
    assert first["duplicates"] == len(CONVERGE) - 1  # each listed URL led to the article
    assert [d.url for d in stored(database_url, source["id"])] == [hostile.url + CONVERGE[0]]

    hostile.clear_log()
    again = crawl(config, source["id"])[source["id"]]
    assert [r.path for r in hostile.requests] == [index_path("converge")]
    assert again["requests"] == 1 and again["status"] == "ok"


def test_a_broken_article_behind_a_redirect_waits_for_its_retry_under_the_listed_url(
    hostile: ReplicaServer, tmp_path: Path, database_url: str
) -> None:
    source = hostile_source("moved-broken", hostile.url)
    config = configure(tmp_path, database_url, [source])
    first = crawl(config, source["id"])[source["id"]]
    # The listing was read and named articles, and every one failed: failed (issue 10).
    assert first["status"] == "failed"
    assert first["reason"].startswith("every article failed: ")
    assert len(first["errors"]) == len(MOVED_BROKEN), first["errors"]
    assert all(e["code"] in ("http_404", "empty_body") for e in first["errors"]), first["errors"]

    db = Database(database_url)
    with db.session() as session:
        failures = {
            row.url.removeprefix(hostile.url): row
            for row in session.scalars(
                select(PageFailure).where(PageFailure.source_id == source["id"])
            )
        }
    db.dispose()
    now = datetime.now(UTC)
    for listed, final in MOVED_BROKEN.items():
        for path in (listed, final):  # the listed URL, and the page it led to
            assert path in failures, sorted(failures)
        row = failures[listed]
        assert final in row.last_error  # says where the redirect led
        if final.endswith("missing.html"):
            assert row.permanent and row.retry_at is None
        else:
            assert not row.permanent and row.retry_at is not None and row.retry_at > now

    hostile.clear_log()
    again = crawl(config, source["id"])[source["id"]]
    assert [r.path for r in hostile.requests] == [index_path("moved-broken")]
    assert again["requests"] == 1
    assert count(database_url, RawPage, source["id"]) == 1  # the page without a body, once
