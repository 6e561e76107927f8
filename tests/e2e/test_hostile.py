"""Issue 11, the crawler's side: the hostile replica site, crawled through `bulletins crawl`.

Each test reproduces a defect of the 2026-12 probe (D1, D11, D12, D13, D17) and
fails on 09b2a6d. "The other host" is the replica's second listener on 127.0.0.2:
the source's own host is 127.0.0.1, so a broken guard could only ever reach
loopback, and the listener counts every connection it accepts.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from replica import ReplicaServer, sources_config
from replica.sites.hostile import (
    CHARSET_PAGES,
    CHARSET_TITLES,
    MOVED,
    SECRET_MARK,
    SHARED,
    hostile_source,
)
from storage.db import Database
from storage.models import Document, ListingPage, PageFailure, RawPage, Sighting
from tests.e2e.conftest import run_cli, write_config

pytestmark = pytest.mark.e2e

#: The crawl child's address space: /dev/zero read without a limit would take the
#: machine's memory; with the guard broken the child fails instead.
CHILD_ADDRESS_SPACE = 3 * 1024**3
CLI = [sys.executable, "-m", "bulletins.cli"]


@pytest.fixture
def hostile() -> Iterator[ReplicaServer]:
    with ReplicaServer(hang_seconds=30, other_host="127.0.0.2") as server:
        yield server


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_ADDRESS_SPACE, CHILD_ADDRESS_SPACE))


def crawl(config: Path, *source_ids: str) -> dict[str, Any]:
    """`bulletins crawl --json SOURCE…` in a child process; its one run by source id."""
    result = run_cli(config, "crawl", "--json", "--no-deliver", *source_ids)
    assert result.returncode in (0, 1), result.stderr
    runs = {run["source_id"]: run for run in json.loads(result.stdout)["runs"]}
    for run in runs.values():
        run["stderr"] = result.stderr
    return runs


def configure(tmp_path: Path, database_url: str, sources: list[dict[str, Any]]) -> Path:
    return write_config(
        tmp_path / "bulletins.yaml",
        database=database_url,
        sources=sources,
        crawl={"obey_robots": False},
    )


def errors_with(run: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [e for e in run["errors"] if e["code"] == code]


def stored(database_url: str, source_id: str) -> list[Document]:
    db = Database(database_url)
    with db.session() as session:
        documents = list(
            session.scalars(
                select(Document).join(Sighting).where(Sighting.source_id == source_id).distinct()
            )
        )
    db.dispose()
    return documents


def count(database_url: str, model: Any, source_id: str) -> int:
    db = Database(database_url)
    with db.session() as session:
        value = session.scalar(
            select(func.count()).select_from(model).where(model.source_id == source_id)
        )
    db.dispose()
    return int(value or 0)


def nothing_secret_anywhere(database_url: str) -> None:
    db = Database(database_url)
    with db.session() as session:
        texts = session.scalars(select(Document.text)).all()
        raw_urls = session.scalars(select(RawPage.url)).all()
        listing_urls = session.scalars(select(ListingPage.url)).all()
    db.dispose()
    assert not [t for t in texts if SECRET_MARK in t]
    assert not [u for u in raw_urls if "/secret/" in u]
    assert all(url.startswith(("http://", "https://")) for url in listing_urls), listing_urls


# --- D1: only http(s), anywhere ------------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "scheme"),
    [
        ("next-file", "file"),
        ("next-data", "data"),
        ("next-ftp", "ftp"),
        ("next-gopher", "gopher"),
        ("next-zero", "file"),
    ],
)
def test_a_next_page_of_another_scheme_is_refused_and_recorded(
    hostile: ReplicaServer, tmp_path: Path, sqlite_url: str, scenario: str, scheme: str
) -> None:
    source = hostile_source(scenario, hostile.url)
    config = configure(tmp_path, sqlite_url, [source])
    result = subprocess.run(
        [*CLI, "--config", str(config), "crawl", "--json", "--no-deliver", source["id"]],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
    )
    assert result.returncode in (0, 1), result.stderr
    run = json.loads(result.stdout)["runs"][0]

    assert hostile.other_connections == 0
    refused = errors_with(run, "blocked_scheme")
    assert [urlsplit(e["url"]).scheme for e in refused] == [scheme], run["errors"]
    assert refused[0]["kind"] == "listing"
    assert run["status"] == "partial"  # the listing page itself was read
    assert run["new_documents"] == 1
    nothing_secret_anywhere(sqlite_url)


def test_redirects_and_meta_refreshes_to_other_schemes_are_not_followed(
    hostile: ReplicaServer, tmp_path: Path, sqlite_url: str
) -> None:
    source = hostile_source("redirects", hostile.url)
    run = crawl(configure(tmp_path, sqlite_url, [source]), source["id"])["hostile-redirects"]
    followed = [e for e in run["errors"] if urlsplit(e["url"]).scheme not in ("http", "https")]
    assert followed == []
    texts = [d.text for d in stored(sqlite_url, source["id"])]
    assert len(texts) == 1 and "行动编号8" in texts[0]  # a/8.html, the plain article
    nothing_secret_anywhere(sqlite_url)


# --- D13: the source's own hosts, and other hosts only at public addresses ------------------


def test_links_to_other_private_hosts_are_refused_in_every_spelling(
    hostile: ReplicaServer, tmp_path: Path, sqlite_url: str
) -> None:
    source = hostile_source("offsite", hostile.url)
    run = crawl(configure(tmp_path, sqlite_url, [source]), source["id"])[source["id"]]

    assert hostile.other_connections == 0
    refused = {e["url"] for e in errors_with(run, "blocked_private_address")}
    hosts = {urlsplit(url).hostname for url in refused}
    # the other host as is, as a number, in hex, as IPv4-mapped IPv6; localhost
    assert hosts == {"127.0.0.2", "2130706434", "0x7f.0.0.0x2", "::ffff:127.0.0.2", "localhost"}
    assert run["status"] == "partial"
    assert [d.url for d in stored(sqlite_url, source["id"])] == [hostile.url + "/hostile/a/7.html"]
    # localhost is this very server, under another name: not fetched either
    assert not [r for r in hostile.requests if r.path == "/hostile/a/31.html"]
    nothing_secret_anywhere(sqlite_url)


def test_redirects_to_other_private_hosts_are_refused(
    hostile: ReplicaServer, tmp_path: Path, sqlite_url: str
) -> None:
    source = hostile_source("redirects", hostile.url)
    run = crawl(configure(tmp_path, sqlite_url, [source]), source["id"])[source["id"]]

    assert hostile.other_connections == 0
    refused = errors_with(run, "blocked_private_address")
    assert {urlsplit(e["url"]).hostname for e in refused} == {"127.0.0.2", "localhost"}
    # 302, 303, 308 and a meta refresh to the other host; 307 to localhost
    assert len(refused) == 5, run["errors"]
    assert not [r for r in hostile.requests if r.path == "/hostile/a/32.html"]
    nothing_secret_anywhere(sqlite_url)


def test_a_next_page_on_another_private_host_is_refused(
    hostile: ReplicaServer, tmp_path: Path, sqlite_url: str
) -> None:
    source = hostile_source("next-other", hostile.url)
    run = crawl(configure(tmp_path, sqlite_url, [source]), source["id"])[source["id"]]
    assert hostile.other_connections == 0
    refused = errors_with(run, "blocked_private_address")
    assert [e["kind"] for e in refused] == ["listing"]
    assert run["new_documents"] == 1
    nothing_secret_anywhere(sqlite_url)


def test_allow_private_network_lets_a_source_reach_other_private_hosts(
    hostile: ReplicaServer, tmp_path: Path, sqlite_url: str
) -> None:
    """The same listing with the source's consent: the other host is reached (so the
    listener above would have seen a broken guard)."""
    source = hostile_source("offsite", hostile.url, allow_private_network=True)
    run = crawl(configure(tmp_path, sqlite_url, [source]), source["id"])[source["id"]]
    assert errors_with(run, "blocked_private_address") == []
    assert hostile.other_connections > 0
    assert [r.path for r in hostile.other_requests if r.status == 200]
    assert any(SECRET_MARK in d.text for d in stored(sqlite_url, source["id"]))


# --- D11: listing validators per source ----------------------------------------------------


def test_two_sources_on_one_listing_never_hide_a_new_release_from_each_other(
    hostile: ReplicaServer, tmp_path: Path, database_url: str
) -> None:
    first = next(s for s in sources_config(hostile.url) if s["id"] == "replica-gbk")
    second = {**first, "id": "replica-gbk-again", "name": "the same column, again"}
    config = configure(tmp_path, database_url, [first, second])

    assert crawl(config, first["id"])[first["id"]]["status"] == "ok"
    [new_url] = hostile.publish("gbk", 1)
    assert crawl(config, second["id"])[second["id"]]["new_documents"] == 1
    hostile.clear_log()
    again = crawl(config, first["id"])[first["id"]]

    new_path = urlsplit(new_url).path
    assert [r.path for r in hostile.requests if r.path == new_path] == [new_path]
    assert again["duplicates"] == 1  # stored by the other source, now seen by this one too
    assert new_url in {d.url for d in stored(database_url, first["id"])}


# --- D12: known listed URLs, sightings per source ------------------------------------------


def test_articles_behind_a_redirect_are_not_fetched_again(
    hostile: ReplicaServer, tmp_path: Path, database_url: str
) -> None:
    source = hostile_source("moved", hostile.url)
    config = configure(tmp_path, database_url, [source])
    first = crawl(config, source["id"])[source["id"]]
    assert first["new_documents"] == len(MOVED)

    for _ in range(2):
        hostile.clear_log()
        again = crawl(config, source["id"])[source["id"]]
        assert [r.path for r in hostile.requests] == ["/hostile/moved/index.html"]
        assert again["requests"] == 1 and again["status"] == "ok"
    assert count(database_url, RawPage, source["id"]) == len(MOVED)


def test_a_second_source_listing_stored_articles_gets_its_own_sightings_once(
    hostile: ReplicaServer, tmp_path: Path, database_url: str
) -> None:
    a = hostile_source("shared-a", hostile.url)
    b = hostile_source("shared-b", hostile.url)
    config = configure(tmp_path, database_url, [a, b])
    assert crawl(config, a["id"])[a["id"]]["new_documents"] == len(SHARED)

    first = crawl(config, b["id"])[b["id"]]
    assert first["new_documents"] == 0 and first["duplicates"] == len(SHARED)
    assert len(stored(database_url, b["id"])) == len(SHARED)
    listed = run_cli(config, "documents", "list", "--source", b["id"], "--json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == len(SHARED)

    hostile.clear_log()
    second = crawl(config, b["id"])[b["id"]]
    assert [r.path for r in hostile.requests] == ["/hostile/shared-b/index.html"]
    assert second["requests"] == 1
    assert count(database_url, RawPage, b["id"]) == len(SHARED)


# --- D17: pages whose bytes are not in the charset they declare ----------------------------


def test_misdeclared_charsets_are_read_in_the_charset_of_their_bytes(
    hostile: ReplicaServer, tmp_path: Path, sqlite_url: str
) -> None:
    source = hostile_source("charset", hostile.url)
    run = crawl(configure(tmp_path, sqlite_url, [source]), source["id"])[source["id"]]

    documents = {urlsplit(d.url).path: d for d in stored(sqlite_url, source["id"])}
    assert set(documents) == set(CHARSET_TITLES)
    for path, document in documents.items():
        assert document.title == CHARSET_TITLES[path], CHARSET_PAGES[path]
        assert "\ufffd" not in document.title + document.text
        assert "犯罪嫌疑人" in document.text

    unreadable = [p for p, (_what, readable) in CHARSET_PAGES.items() if not readable]
    undecodable = errors_with(run, "undecodable")
    assert [urlsplit(e["url"]).path for e in undecodable] == unreadable
    assert run["status"] == "partial"
    db = Database(sqlite_url)
    with db.session() as session:
        failures = session.scalars(select(PageFailure.url)).all()
        kept = session.scalars(select(RawPage.error).where(RawPage.error.is_not(None))).all()
    db.dispose()
    assert [urlsplit(u).path for u in failures] == unreadable
    assert len(kept) == 1 and "undecodable" in kept[0]  # the bytes are kept for inspection


_UNGUARDED_CRAWL = """
import json, sys
from crawlers import netguard
from crawlers.runner import crawl_settings, run_crawls
from crawlers.sources.schema import SourceConfig

source = SourceConfig.model_validate(json.loads(sys.argv[1]))
netguard.allow_private(netguard.HostPolicy.of(source).own_hosts)  # what the middleware does
overrides = {
    "DOWNLOADER_MIDDLEWARES": {"crawlers.netguard.NetworkGuardMiddleware": None},
    "RETRY_ENABLED": False,
    "ROBOTSTXT_OBEY": False,
    "DOWNLOAD_DELAY": 0,
}
settings = crawl_settings(database_url=sys.argv[2], timezone="UTC", overrides=overrides)
[summary] = run_crawls([source], settings)
print(json.dumps({"errors": summary.errors, "new": summary.new_documents}))
"""


def test_without_the_middleware_the_resolver_still_refuses_a_private_name(
    hostile: ReplicaServer, sqlite_url: str
) -> None:
    """The connection's own name resolution is guarded too: a request that went round
    the middleware (or met a second DNS answer) gets no private address. (With the
    middleware on, it turns that failure back into a refusal: test_netguard.py.)"""
    source = hostile_source("by-name", hostile.url)
    result = subprocess.run(
        [sys.executable, "-c", _UNGUARDED_CRAWL, json.dumps(source), sqlite_url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.splitlines()[-1])
    assert outcome["new"] == 1, outcome  # a/9.html, on the source's own host
    assert not [r for r in hostile.requests if r.path == "/hostile/a/35.html"]
    [error] = outcome["errors"]
    assert urlsplit(error["url"]).hostname == "localhost"
    assert "DNS lookup failed" in error["error"], error  # the name got no address
