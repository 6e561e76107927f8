"""Issue 13, end to end: every replica site crawls correctly with its list and article
selectors removed from the config (the list, its next pages and the articles' title,
date and text found by detection), and what detection finds is on the run's log."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from replica import ReplicaServer, normalize_text, sources_config
from storage.db import Database
from storage.models import Sighting
from tests.e2e.conftest import crawl_json

pytestmark = pytest.mark.e2e

SELECTOR_KEYS = ("item", "link", "title", "date", "next_page")
SITES = {"replica-gbk": "gbk", "replica-en": "en", "replica-f1": "f1"}


def without_selectors(source: dict[str, Any]) -> dict[str, Any]:
    stripped = dict(source)
    stripped["list"] = {k: v for k, v in source["list"].items() if k not in SELECTOR_KEYS}
    stripped.pop("article", None)
    return stripped


def test_every_replica_site_crawls_with_its_selectors_removed(
    replica: ReplicaServer, replica_config: Callable[..., Path], database_url: str
) -> None:
    sources = [without_selectors(s) for s in sources_config(replica.url)]
    assert all("item" not in s["list"] and "article" not in s for s in sources)
    result = crawl_json(replica_config(sources=sources))
    runs = {run["source_id"]: run for run in result["runs"]}
    assert runs["replica-gbk"]["status"] == "ok", runs["replica-gbk"]
    assert runs["replica-f1"]["status"] == "ok", runs["replica-f1"]
    # the English site lists a page that is gone and one that never answers: nothing else fails
    assert runs["replica-en"]["status"] == "partial"
    assert all("404" in e["error"] or "Timeout" in e["error"]
               for e in runs["replica-en"]["errors"]), runs["replica-en"]["errors"]

    db = Database(database_url)
    with db.session() as session:
        sightings = {
            (s.source_id, s.url): s.document for s in session.scalars(select(Sighting))
        }
        for source_id, site_id in SITES.items():
            entries = [e for e in replica.site(site_id).entries if e.bulletin is not None]
            for entry in entries:
                document = sightings.get((source_id, replica.url + entry.path))
                assert document is not None, f"{source_id}: {entry.path} not crawled"
                assert entry.bulletin is not None
                assert document.title == entry.bulletin.title, entry.path
                assert normalize_text(document.text) == normalize_text(entry.bulletin.text)
                assert document.published_at is not None
                if document.url == replica.url + entry.path:  # not a repost first seen elsewhere
                    published = document.published_at.astimezone(entry.published.tzinfo)
                    assert published.date() == entry.published.date(), entry.path
    db.dispose()
    # detection found every list: no listing page failed or warned
    assert "detection found no article list" not in result["stderr"]
    assert "no list headed" not in result["stderr"]


def test_a_selector_that_misses_most_of_the_list_is_reported_with_both_counts(
    replica: ReplicaServer, replica_config: Callable[..., Path]
) -> None:
    gbk = next(s for s in sources_config(replica.url) if s["id"] == "replica-gbk")
    gbk["list"]["item"] = "ul.list li:nth-child(-n+3)"  # 3 of the page's 20
    result = crawl_json(replica_config(sources=[gbk]))
    assert result["exit"] == 0
    assert "found 3 item(s) and detection 20" in result["stderr"]


def test_a_selector_that_matches_nothing_falls_back_to_detection(
    replica: ReplicaServer, replica_config: Callable[..., Path], database_url: str
) -> None:
    f1 = next(s for s in sources_config(replica.url) if s["id"] == "replica-f1")
    f1["list"]["item"] = "div.no-such-list li"
    result = crawl_json(replica_config(sources=[f1]))
    [run] = result["runs"]
    assert run["status"] == "ok" and run["new_documents"] > 0, run
    assert "matched nothing; detection found 15 item(s)" in result["stderr"]
