"""The replica's hostile site and its second listener, the other host (loopback only)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import urljoin

import pytest

from crawlers.check import check_source
from crawlers.sources.schema import SourceConfig
from replica import ReplicaServer
from replica.sites.hostile import (
    SCENARIOS,
    SECRET_MARK,
    SECRET_PATH,
    hostile_source,
    other_spellings,
)

from .helpers import fetch


@pytest.fixture
def hostile() -> Iterator[ReplicaServer]:
    with ReplicaServer(hang_seconds=30, other_host="127.0.0.2") as server:
        yield server


def test_every_scenario_has_a_listing_and_a_valid_source(hostile: ReplicaServer) -> None:
    for scenario in SCENARIOS:
        source = SourceConfig.model_validate(hostile_source(scenario, hostile.url))
        listing = fetch(source.start_urls[0])
        assert listing.status == 200, scenario
        assert listing.selector.css(source.list.item), scenario
    with pytest.raises(KeyError, match="unknown hostile scenario"):
        hostile_source("nope", hostile.url)


def test_the_other_host_serves_the_internal_page_and_counts_connections(
    hostile: ReplicaServer,
) -> None:
    assert hostile.other_url.startswith("http://127.0.0.2:")
    assert hostile.other_connections == 0
    page = fetch(hostile.other_url + SECRET_PATH)
    assert page.status == 200 and SECRET_MARK in page.text
    assert hostile.other_connections == 1
    # The request is logged once the answer is written: the client may read it first.
    deadline = time.monotonic() + 60
    while not hostile.other_requests and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [r.path for r in hostile.other_requests] == [SECRET_PATH]
    assert not [r for r in hostile.requests if r.path == SECRET_PATH]  # logged apart
    log = fetch(hostile.url + "/_admin/other-log").body.decode()
    assert '"connections": 1' in log and SECRET_PATH in log
    hostile.clear_log()
    assert hostile.other_connections == 0 and hostile.other_requests == []


def test_the_offsite_listing_spells_the_other_host_several_ways(hostile: ReplicaServer) -> None:
    listing = fetch(hostile.url + "/hostile/offsite/index.html")
    hrefs = listing.selector.css("ul.list a::attr(href)").getall()
    for base in other_spellings(hostile.other_url):
        assert base + SECRET_PATH in hrefs
    assert any(h.startswith("//127.0.0.2:") for h in hrefs)
    assert any(h.startswith("http://localhost:") for h in hrefs)


def test_the_next_file_listing_points_at_a_local_file_that_links_the_other_host(
    hostile: ReplicaServer,
) -> None:
    listing = fetch(hostile.url + "/hostile/next-file/index.html")
    local = listing.selector.css("a.next::attr(href)").get()
    assert local and local.startswith("file:///")
    with open(local.removeprefix("file://"), encoding="utf-8") as file:
        assert hostile.other_url + SECRET_PATH in file.read()


def test_without_another_host_the_pages_point_where_nothing_listens() -> None:
    with ReplicaServer() as server:
        assert server.other_url == "http://127.0.0.2:9"
        listing = fetch(server.url + "/hostile/next-other/index.html")
        assert "127.0.0.2:9/" in listing.text


def test_moved_links_redirect_to_articles(hostile: ReplicaServer) -> None:
    listing = fetch(hostile.url + "/hostile/moved/index.html")
    first = listing.selector.css("ul.list a::attr(href)").get()
    assert first is not None
    article = fetch(urljoin(hostile.url, first))  # urllib follows the 301
    assert article.status == 200 and article.selector.css("div.body")


def test_the_module_runs_with_another_host() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "replica", "--other-host", "127.0.0.2"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        own = re.match(r"REPLICA_URL=(\S+)", proc.stdout.readline())
        other = re.match(r"REPLICA_OTHER_URL=(\S+)", proc.stdout.readline())
        assert own and other and other.group(1).startswith("http://127.0.0.2:")
        assert fetch(other.group(1) + SECRET_PATH).status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_sources_check_keeps_to_the_same_rules(hostile: ReplicaServer) -> None:
    """`sources check` fetches the first article link: here one on the other host."""
    config = hostile_source("offsite", hostile.url)
    config["list"] = {**config["list"], "item": "ul.list li:nth-child(2)"}
    result = check_source(SourceConfig.model_validate(config), timeout=10)
    assert result.verdict == "unreachable"
    assert "blocked_private_address" in result.reason
    assert hostile.other_connections == 0
