"""Issue 10: every failure is recorded with a stable code, against the replica.

Each test crawls in a child process (`bulletins crawl`) and reads what the run
recorded: the failed pages with their codes, the run's status and reason, the
exit status, the failed-page rows, and the health watch's events.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from replica import GONE_PATH, HANG_PATH, ReplicaServer, sources_config
from replica.sites.hostile import SHARED, hostile_source
from storage.db import Database
from storage.models import Alert, CrawlRun, PageFailure, Source
from tests.e2e.conftest import run_cli, write_config

pytestmark = pytest.mark.e2e

WEBHOOK = {"id": "ops", "url": "http://127.0.0.1:9/hook", "allow_private_network": True}


def crawl(
    config: Path, source_id: str, env: dict[str, str] | None = None
) -> tuple[int, dict[str, Any], str]:
    """Exit status, the source's run summary, and stderr."""
    done = run_cli(config, "crawl", "--json", "--no-deliver", source_id, env=env)
    assert done.returncode in (0, 1), done.stderr
    data = json.loads(done.stdout)
    [run] = [r for r in data["runs"] if r["source_id"] == source_id]
    return done.returncode, run, done.stderr


def configure(tmp_path: Path, database: str, *sources: dict[str, Any]) -> Path:
    return write_config(
        tmp_path / "bulletins.yaml", database=database, sources=list(sources), webhooks=[WEBHOOK]
    )


def codes(run: dict[str, Any]) -> list[str]:
    return [e["code"] for e in run["errors"]]


def health_events(database: str, source_id: str) -> list[dict[str, Any]]:
    db = Database(database)
    with db.session() as session:
        rows = session.scalars(
            select(Alert).where(Alert.source_id == source_id, Alert.event_type == "source.health")
        ).all()
        payloads = [dict(a.payload["data"]) for a in rows]
    db.dispose()
    return payloads


def page_failures(database: str, source_id: str) -> dict[str, PageFailure]:
    db = Database(database)
    with db.session() as session:
        rows = session.scalars(select(PageFailure).where(PageFailure.source_id == source_id))
        found = {row.url: row for row in rows}
    db.dispose()
    return found


def fake_trafilatura(root: Path, init: str) -> dict[str, str]:
    """A `trafilatura` package under `root` that shadows the real one: the environment
    of a crawl that imports it."""
    package = root / "trafilatura"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(init, "utf-8")
    paths = [str(root), os.environ.get("PYTHONPATH", "")]
    return {"PYTHONPATH": os.pathsep.join(p for p in paths if p)}


def shared_source(replica: ReplicaServer) -> dict[str, Any]:
    """Three hostile-site articles, read without an ``article.body`` (so by trafilatura:
    their ``div.body`` is no container the text finder knows)."""
    return hostile_source("shared-a", replica.url, article={})


# --- dependency_missing ---------------------------------------------------------------


def test_a_missing_dependency_fails_every_article_then_the_next_crawl_stores_them(
    replica: ReplicaServer, tmp_path: Path, sqlite_url: str
) -> None:
    source = shared_source(replica)
    config = configure(tmp_path, sqlite_url, source)
    env = fake_trafilatura(
        tmp_path / "broken",
        "raise ModuleNotFoundError(\"No module named 'lxml.html.clean'\", "
        "name='lxml.html.clean')\n",
    )
    code, run, _ = crawl(config, source["id"], env)

    assert code == 1
    assert run["status"] == "failed"
    assert run["reason"].startswith("every article failed: dependency_missing")
    assert "lxml.html.clean" in run["reason"]
    assert codes(run) == ["dependency_missing"] * len(SHARED)
    failures = page_failures(sqlite_url, source["id"])
    assert len(failures) == len(SHARED)
    assert {f.code for f in failures.values()} == {"dependency_missing"}
    [event] = health_events(sqlite_url, source["id"])
    assert "dependency_missing" in event["reason"] and "lxml.html.clean" in event["reason"]

    # With the import working again, the next crawl fetches and stores them all.
    code, run, stderr = crawl(config, source["id"])
    assert code == 0, stderr
    assert run["status"] == "ok" and run["new_documents"] == len(SHARED)
    assert page_failures(sqlite_url, source["id"]) == {}
    db = Database(sqlite_url)
    with db.session() as session:
        row = session.get(Source, source["id"])
        assert row is not None and row.healthy
    db.dispose()


# --- parse_error ------------------------------------------------------------------------


def test_an_exception_while_reading_an_article_is_a_parse_error(
    replica: ReplicaServer, tmp_path: Path, sqlite_url: str
) -> None:
    source = shared_source(replica)
    config = configure(tmp_path, sqlite_url, source)
    env = fake_trafilatura(
        tmp_path / "crashing",
        "def extract(*args, **kwargs):\n    raise ValueError('the tree is malformed')\n",
    )
    code, run, _ = crawl(config, source["id"], env)

    assert code == 1 and run["status"] == "failed"
    assert codes(run) == ["parse_error"] * len(SHARED)
    assert all(e["error"] == "the tree is malformed" for e in run["errors"])
    assert run["reason"].startswith("every article failed: parse_error")
    assert {f.code for f in page_failures(sqlite_url, source["id"]).values()} == {"parse_error"}
    [event] = health_events(sqlite_url, source["id"])  # on the first such run
    assert "parse_error" in event["reason"]


# --- http_404 and timeout ---------------------------------------------------------------


def test_a_page_that_is_gone_and_one_that_never_answers(
    replica: ReplicaServer, tmp_path: Path, sqlite_url: str
) -> None:
    [source] = [s for s in sources_config(replica.url) if s["id"] == "replica-en"]
    config = configure(tmp_path, sqlite_url, source)
    code, run, _ = crawl(config, source["id"])

    assert code == 0 and run["status"] == "partial" and run["new_documents"] > 0
    by_path = {e["url"].removeprefix(replica.url): e["code"] for e in run["errors"]}
    assert by_path == {GONE_PATH: "http_404", HANG_PATH: "timeout"}
    assert "http_404" in run["reason"] and "timeout" in run["reason"]
    failures = page_failures(sqlite_url, source["id"])
    gone = failures[replica.url + GONE_PATH]
    assert gone.code == "http_404" and gone.permanent
    assert failures[replica.url + HANG_PATH].code == "timeout"
    assert health_events(sqlite_url, source["id"]) == []  # some pages failed: partial


# --- empty_body ---------------------------------------------------------------------


def test_articles_without_a_body_are_empty_body(
    replica: ReplicaServer, tmp_path: Path, sqlite_url: str
) -> None:
    [source] = [s for s in sources_config(replica.url) if s["id"] == "replica-en"]
    source["article"] = {**source["article"], "body": "div.no-such-body"}
    config = configure(tmp_path, sqlite_url, source)
    code, run, _ = crawl(config, source["id"])

    assert code == 1 and run["status"] == "failed" and run["new_documents"] == 0
    assert run["reason"].startswith("every article failed: empty_body")
    assert set(codes(run)) == {"empty_body", "http_404", "timeout"}
    [event] = health_events(sqlite_url, source["id"])
    problems = {p["kind"]: p["message"] for p in event["problems"]}
    assert "article_empty" in problems  # distinct pages without a body, read by code
    assert problems["articles_failed"].startswith("every article failed: empty_body")


# --- challenge ----------------------------------------------------------------------


def test_a_challenge_the_source_may_not_pass(
    replica: ReplicaServer, tmp_path: Path, sqlite_url: str
) -> None:
    [source] = [
        s for s in sources_config(replica.url, browser=True) if s["id"] == "replica-jsl"
    ]
    source["render"] = "never"
    config = configure(tmp_path, sqlite_url, source)
    code, run, _ = crawl(config, source["id"])

    assert code == 1 and run["status"] == "failed"
    assert codes(run) == ["challenge"]
    assert run["errors"][0]["kind"] == "listing"
    assert run["reason"].startswith("no listing page could be read: challenge")


# --- connection_error ---------------------------------------------------------------


def test_a_site_that_refuses_connections(tmp_path: Path, sqlite_url: str) -> None:
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = hostile_source("shared-a", f"http://127.0.0.1:{port}", id="refused")
    config = configure(tmp_path, sqlite_url, source)
    code, run, _ = crawl(config, "refused")

    assert code == 1 and run["status"] == "failed"
    assert codes(run) == ["connection_error"]
    assert run["reason"].startswith("no listing page could be read: connection_error")


# --- detection on the run -------------------------------------------------------------


def test_detection_and_its_warnings_are_on_the_run(
    replica: ReplicaServer, tmp_path: Path, sqlite_url: str
) -> None:
    [source] = [s for s in sources_config(replica.url) if s["id"] == "replica-en"]
    source["list"] = {**source["list"], "item": "ul.no-such-list li"}
    config = configure(tmp_path, sqlite_url, source)
    code, run, _ = crawl(config, source["id"])

    assert code == 0 and run["new_documents"] > 0
    assert run["listing_detected"] >= 1
    assert run["warnings"] and "matched nothing" in run["warnings"][0]["warning"]
    db = Database(sqlite_url)
    with db.session() as session:
        row = session.get(CrawlRun, run["run_id"])
        assert row is not None and row.listing_detected == run["listing_detected"]
        assert row.warnings == run["warnings"]
    db.dispose()
    status = run_cli(config, "status", source["id"])
    assert status.returncode == 0, status.stderr
    assert "list detected on" in status.stdout and "warning:" in status.stdout
