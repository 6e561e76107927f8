"""Issue 2, end to end: crawling the replica sites into SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from replica import GONE_PATH, HANG_PATH, ReplicaServer, sources_config, text_hash
from storage.db import Database
from storage.models import CrawlRun, Document, Sighting
from tests.e2e.conftest import crawl_json, run_cli, write_config

pytestmark = pytest.mark.e2e


def unique_releases(replica: ReplicaServer) -> int:
    hashes = {
        text_hash(entry.bulletin.text)
        for site_id in ("gbk", "en", "f1")
        for entry in replica.site(site_id).entries
        if entry.bulletin is not None
    }
    return len(hashes)


def article_paths(replica: ReplicaServer) -> set[str]:
    return {
        entry.path for site_id in ("gbk", "en", "f1") for entry in replica.site(site_id).entries
    }


def test_first_crawl_stores_every_release_once_then_only_what_is_new(
    replica: ReplicaServer, replica_config: Callable[..., Path], database_url: str
) -> None:
    config = replica_config()
    first = crawl_json(config)
    assert first["exit"] == 0, first["stderr"]
    runs = {run["source_id"]: run for run in first["runs"]}
    assert {r["status"] for r in runs.values()} <= {"ok", "partial"}

    db = Database(database_url)
    with db.session() as session:
        documents = session.scalar(select(func.count(Document.id)))
        assert documents == unique_releases(replica)
        reposted = [d for d in session.scalars(select(Document)) if len(d.sightings) > 1]
        assert len(reposted) == 1
        assert {s.source_id for s in reposted[0].sightings} == {"replica-gbk", "replica-f1"}

    # The page that is gone and the one that never answers are on the run, with their URLs.
    errors = runs["replica-en"]["errors"]
    assert runs["replica-en"]["status"] == "partial"
    assert any(e["url"].endswith(GONE_PATH) and "404" in e["error"] for e in errors)
    assert any(e["url"].endswith(HANG_PATH) and "Timeout" in e["error"] for e in errors)

    # Right after: no article requested, nothing stored.
    replica.clear_log()
    again = crawl_json(config)
    assert again["exit"] == 0
    assert sum(r["new_documents"] for r in again["runs"]) == 0
    requested = {r.path for r in replica.requests}
    assert not requested & article_paths(replica)

    # Three new releases: exactly those are fetched, and stored.
    new_urls = replica.publish("replica-gbk", 3)
    replica.clear_log()
    third = crawl_json(config)
    fetched = {r.path for r in replica.requests} & article_paths(replica)
    assert fetched == {url.removeprefix(replica.url) for url in new_urls}
    assert sum(r["new_documents"] for r in third["runs"]) == 3
    with db.session() as session:
        assert session.scalar(select(func.count(Document.id))) == documents + 3
    db.dispose()


def test_gbk_page_is_correct_chinese_and_hashes_like_its_utf8_repost(
    replica: ReplicaServer, replica_config: Callable[..., Path], database_url: str
) -> None:
    gbk_only = [s for s in sources_config(replica.url) if s["id"] in ("replica-gbk", "replica-f1")]
    assert crawl_json(replica_config(sources=gbk_only))["exit"] == 0
    db = Database(database_url)
    with db.session() as session:
        gbk_docs = list(
            session.scalars(
                select(Document)
                .join(Sighting)
                .where(Sighting.source_id == "replica-gbk")
                .distinct()
            )
        )
        assert gbk_docs and all("\ufffd" not in d.text for d in gbk_docs)
        reposted = [d for d in gbk_docs if len(d.sightings) == 2]
        assert len(reposted) == 1
        doc = reposted[0]
        assert "镕" in doc.text
        gbk_url = next(s.url for s in doc.sightings if s.source_id == "replica-gbk")
        utf8_url = next(s.url for s in doc.sightings if s.source_id == "replica-f1")
        assert "/gbk/" in gbk_url and "/f1/" in utf8_url
    db.dispose()


@pytest.mark.parametrize(
    ("edit", "culprits"),
    [
        (lambda s: s["list"].update(colour="red"), ["replica-gbk", "list.colour", "Extra inputs"]),
        (lambda s: s.pop("start_urls"), ["replica-gbk", "start_urls", "Field required"]),
        (lambda s: s["list"].update(item="ul.list li["), ["replica-gbk", "list.item", "selector"]),
    ],
    ids=["unknown key", "missing start_urls", "invalid selector"],
)
def test_a_bad_config_exits_2_naming_file_source_and_key_and_writes_nothing(
    tmp_path: Path, replica: ReplicaServer, edit: Callable[[dict], object], culprits: list[str]
) -> None:
    sources = sources_config(replica.url)
    edit(sources[0])
    db_file = tmp_path / "never.db"
    config = write_config(tmp_path / "bad.yaml", database=f"sqlite:///{db_file}", sources=sources)
    result = run_cli(config, "crawl")
    assert result.returncode == 2
    for part in [str(config), *culprits]:
        assert part in result.stderr
    assert not db_file.exists()
    assert replica.requests == []


def test_a_source_that_fails_as_a_whole_exits_1_and_the_others_are_stored(
    tmp_path: Path, replica: ReplicaServer, sqlite_url: str
) -> None:
    sources = sources_config(replica.url)
    sources[0]["start_urls"] = [f"{replica.url}/nowhere/index.html"]
    config = write_config(tmp_path / "c.yaml", database=sqlite_url, sources=sources)
    result = crawl_json(config)
    assert result["exit"] == 1
    runs = {r["source_id"]: r for r in result["runs"]}
    assert runs[sources[0]["id"]]["status"] == "failed"
    assert "404" in (runs[sources[0]["id"]]["reason"] or "")
    assert all(r["new_documents"] > 0 for sid, r in runs.items() if sid != sources[0]["id"])


def test_a_crawl_killed_mid_run_leaves_nothing_half_written_and_resumes(
    tmp_path: Path, replica: ReplicaServer, sqlite_url: str
) -> None:
    # Slow enough (one page at a time, half a second apart) that the kill, sent once
    # 10 releases are stored, always lands mid-run however loaded the machine is.
    slow = {"download_delay": 0.5, "concurrency_per_site": 1}
    sources = sources_config(replica.url)
    config = write_config(tmp_path / "slow.yaml", database=sqlite_url, sources=sources, crawl=slow)
    child = subprocess.Popen(
        [sys.executable, "-m", "bulletins.cli", "--config", str(config), "crawl"],
        env=os.environ.copy(),
    )
    db = Database(sqlite_url)
    deadline = time.monotonic() + 180
    stored = 0
    while time.monotonic() < deadline and stored < 10 and child.poll() is None:
        time.sleep(0.1)  # polling the database for the event, under a generous deadline
        with db.session() as session:
            stored = session.scalar(select(func.count(Document.id))) or 0
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert 10 <= stored < unique_releases(replica)

    config = write_config(tmp_path / "c.yaml", database=sqlite_url, sources=sources)
    resumed = crawl_json(config)
    assert resumed["exit"] == 0
    with db.session() as session:
        assert session.scalar(select(func.count(Document.id))) == unique_releases(replica)
        orphans = session.scalars(select(Document.id).where(~Document.sightings.any())).all()
        assert orphans == []
        statuses = [r.status for r in session.scalars(select(CrawlRun))]
        assert "killed" in statuses
    db.dispose()


def test_documents_list_json_has_the_contract_fields(
    replica: ReplicaServer, replica_config: Callable[..., Path]
) -> None:
    config = replica_config()
    assert crawl_json(config)["exit"] == 0
    listed = json.loads(run_cli(config, "documents", "list", "--json").stdout)
    assert len(listed) == unique_releases(replica)
    for key in ("id", "source", "title", "published_at", "language", "content_hash", "sightings"):
        assert key in listed[0]
    assert all(doc["published_at"] for doc in listed)
    assert {s["source"] for doc in listed for s in doc["sightings"]} == {
        "replica-gbk",
        "replica-en",
        "replica-f1",
    }
