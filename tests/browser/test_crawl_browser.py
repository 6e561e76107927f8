"""Issue 6, end to end: crawling through Chromium (`python -m bulletins.cli crawl --json`
in a child process) against the replica's challenge and JavaScript-listing sites."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from crawlers.browser import chromium_processes
from replica import BUSY_PATH, ReplicaServer
from replica.sites import JsAppSite
from tests.browser.conftest import crawl_rows, requires_chromium, runs_of, stored_urls
from tests.e2e.conftest import crawl_json

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

Config = Callable[..., Path]


def article_paths(replica: ReplicaServer, site_id: str) -> set[str]:
    return {e.path for e in replica.site(site_id).entries if e.bulletin is not None}


def requested(replica: ReplicaServer, prefix: str) -> list[tuple[str, int]]:
    return [(r.path, r.status) for r in replica.requests if r.path.startswith(prefix)]


@requires_chromium
def test_the_challenge_site_is_crawled_whole_then_incrementally_with_cookie_reuse(
    replica: ReplicaServer, browser_config: Config, sqlite_url: str
) -> None:
    config = browser_config("replica-jsl")
    articles = article_paths(replica, "jsl")

    first = crawl_json(config)
    assert first["exit"] == 0, first["stderr"]
    run = runs_of(first)["replica-jsl"]
    assert run["status"] == "ok", run
    assert run["new_documents"] == len(articles)
    assert {u.removeprefix(replica.url) for u in stored_urls(sqlite_url, "replica-jsl")} == articles
    why = run["used_browser"]
    assert "JavaScript cookie challenge (HTTP 521, Jiasule-style)" in why
    assert "the browser passed it" in why and "cookies were reused for plain HTTP" in why
    # Cookie reuse: the browser took one page (and its two challenge answers); after
    # that, plain HTTP with the browser's cookies was let through everywhere.
    log = requested(replica, "/jsl/")
    assert sum(1 for _, status in log if status == 521) <= 4
    assert "1 page(s) through the browser" in why
    fetched = [path for path, status in log if path in articles and status == 200]
    assert sorted(fetched) == sorted(articles)  # each article once

    replica.clear_log()
    second = crawl_json(config)
    assert second["exit"] == 0, second["stderr"]
    assert runs_of(second)["replica-jsl"]["new_documents"] == 0
    assert not {path for path, _ in requested(replica, "/jsl/")} & articles

    new = replica.publish("jsl", 2)
    replica.clear_log()
    third = crawl_json(config)
    assert runs_of(third)["replica-jsl"]["new_documents"] == 2
    fetched_now = {path for path, _ in requested(replica, "/jsl/")} & article_paths(replica, "jsl")
    assert fetched_now == {url.removeprefix(replica.url) for url in new}
    assert crawl_rows(sqlite_url)[-1]["used_browser"] == runs_of(third)["replica-jsl"][
        "used_browser"
    ]


@requires_chromium
def test_the_javascript_listing_is_crawled_whole_then_incrementally(
    replica: ReplicaServer, browser_config: Config, sqlite_url: str
) -> None:
    config = browser_config("replica-jsapp")
    articles = article_paths(replica, "jsapp")

    first = crawl_json(config)
    assert first["exit"] == 0, first["stderr"]
    run = runs_of(first)["replica-jsapp"]
    assert run["status"] == "ok", run
    assert run["new_documents"] == len(articles) == 24
    assert run["used_browser"].startswith("render: always")
    log = requested(replica, "/jsapp/")
    assert any(path.endswith("list_3.json") for path, _ in log)  # the list came from JSON
    assert not any(path.endswith(".png") for path, _ in log)  # images are never fetched

    replica.clear_log()
    second = crawl_json(config)
    assert runs_of(second)["replica-jsapp"]["new_documents"] == 0
    assert not {path for path, _ in requested(replica, "/jsapp/")} & articles

    new = replica.publish("jsapp", 3)
    replica.clear_log()
    third = crawl_json(config)
    assert runs_of(third)["replica-jsapp"]["new_documents"] == 3
    fetched = {path for path, _ in requested(replica, "/jsapp/")} & article_paths(replica, "jsapp")
    assert fetched == {url.removeprefix(replica.url) for url in new}
    assert len(stored_urls(sqlite_url, "replica-jsapp")) == 27


@requires_chromium
def test_a_site_that_rejects_plain_http_even_with_the_cookies_stays_in_the_browser(
    replica: ReplicaServer, browser_config: Config
) -> None:
    data = crawl_json(browser_config("replica-jsl-strict"))
    assert data["exit"] == 0, data["stderr"]
    run = runs_of(data)["replica-jsl-strict"]
    assert run["status"] == "ok" and run["new_documents"] == len(
        article_paths(replica, "jsl-strict")
    )
    assert "challenged again" in run["used_browser"]
    assert "0 over plain HTTP" in run["used_browser"]


def test_render_never_on_the_challenge_site_fails_it_naming_the_challenge_and_the_fix(
    replica: ReplicaServer, browser_config: Config, sqlite_url: str
) -> None:
    config = browser_config("replica-jsl", extra=[replica.sources_config()[0]],
                            render={"replica-jsl": "never"})
    data = crawl_json(config)
    assert data["exit"] == 1
    runs = runs_of(data)
    jsl = runs["replica-jsl"]
    assert jsl["status"] == "failed"
    assert jsl["reason"].startswith("no listing page could be read: challenge at http")
    assert jsl["reason"].endswith(
        "/jsl/xwfb/index.html (the site answered with a JavaScript cookie challenge "
        "(HTTP 521, Jiasule-style); set `render: auto` for this source)"
    )
    assert jsl["used_browser"] is None
    assert runs["replica-gbk"]["status"] == "ok" and runs["replica-gbk"]["new_documents"] > 0
    assert stored_urls(sqlite_url, "replica-gbk")


def test_plain_runs_start_no_browser(replica: ReplicaServer, browser_config: Config) -> None:
    """`render: auto` sources that meet no challenge never start Chromium."""
    sources = replica.sources_config()[:2]
    for source in sources:
        source["render"] = "auto"
    config = browser_config(extra=sources, crawl={"download_timeout": 3})
    child = subprocess.Popen(
        [sys.executable, "-m", "bulletins.cli", "--config", str(config), "crawl", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = 0
    while child.poll() is None:
        seen = max(seen, len(chromium_processes(child.pid)))
        time.sleep(0.02)
    out, _err = child.communicate()
    assert child.returncode == 0
    assert seen == 0
    assert all(run["used_browser"] is None for run in json.loads(out)["runs"])


def test_a_chromium_that_cannot_be_launched_fails_the_source_cleanly(
    replica: ReplicaServer, browser_config: Config
) -> None:
    config = browser_config("replica-jsapp", extra=[replica.sources_config()[0]])
    result = subprocess.run(
        [sys.executable, "-m", "bulletins.cli", "--config", str(config), "crawl", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "BULLETINS_CHROMIUM": "/nonexistent/chromium"},
    )
    assert result.returncode == 1
    runs = runs_of(json.loads(result.stdout))
    assert runs["replica-jsapp"]["status"] == "failed"
    assert "/nonexistent/chromium" in runs["replica-jsapp"]["reason"]
    assert runs["replica-gbk"]["status"] == "ok"


@requires_chromium
def test_a_browser_killed_mid_crawl_is_started_again_and_the_run_records_it(
    replica: ReplicaServer, browser_config: Config, sqlite_url: str
) -> None:
    config = browser_config(
        "replica-jsapp",
        extra=[replica.sources_config()[0]],
        crawl={"download_delay": 0.2, "concurrency_per_site": 1},
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "bulletins.cli", "--config", str(config), "crawl", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    articles = article_paths(replica, "jsapp")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len({p for p, _ in requested(replica, "/jsapp/")} & articles) >= 5:
            break
        time.sleep(0.02)
    victims = chromium_processes(child.pid)
    assert victims, "the browser should be running mid-crawl"
    for proc in victims:
        proc.kill()
    out, err = child.communicate(timeout=180)
    assert child.returncode in (0, 1), err
    runs = runs_of(json.loads(out))
    jsapp = runs["replica-jsapp"]
    assert jsapp["status"] in ("ok", "partial", "failed")
    assert "the browser crashed or was killed" in jsapp["used_browser"]
    if jsapp["status"] == "ok":
        assert len(stored_urls(sqlite_url, "replica-jsapp")) == len(articles)
    assert runs["replica-gbk"]["status"] == "ok"
    assert all(row["status"] != "running" for row in crawl_rows(sqlite_url))
    assert chromium_processes(child.pid) == []


@requires_chromium
def test_a_page_that_hangs_the_browser_fails_alone_and_the_crawl_ends(
    replica: ReplicaServer, browser_config: Config, sqlite_url: str
) -> None:
    trap = JsAppSite.trap_source(replica.url)
    # 10 s: ample for the ordinary pages on a loaded machine; the trap never settles.
    # (crawl_json's own time limit fails the test if the crawl does not end.)
    config = browser_config(extra=[trap], browser={"timeout": 10})
    data = crawl_json(config)
    run = runs_of(data)["replica-jsapp-trap"]
    assert data["exit"] == 0 and run["status"] == "partial"
    [error] = run["errors"]
    assert error["url"].endswith(BUSY_PATH)
    assert "BrowserPageTimeout" in error["error"] and "hung" in error["error"]
    assert run["new_documents"] == 3
    row = crawl_rows(sqlite_url)[-1]
    assert row["status"] == "partial" and row["used_browser"].startswith("render: always")
