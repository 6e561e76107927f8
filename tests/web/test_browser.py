"""The pages in a real headless Chromium, over a database crawled from the replica.

The crawl runs in a child process through the `bulletins` command, and so does
`bulletins serve`; the browser talks to it over 127.0.0.1 only, and every request
it makes is checked to stay there.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from crawlers.browser import chromium_missing, resolve_executable
from replica import ReplicaServer, sources_config
from tests.e2e.conftest import crawl_json, write_config

pytestmark = [
    pytest.mark.browser,
    pytest.mark.e2e,
    pytest.mark.skipif(chromium_missing() is not None, reason=f"no browser: {chromium_missing()}"),
]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass
class Site:
    url: str
    database: Path

    def sql(self, query: str, *params: Any) -> list[Any]:
        with sqlite3.connect(self.database) as conn:
            return conn.execute(query, params).fetchall()

    def api(self, path: str, **params: Any) -> Any:
        response = httpx.get(self.url + path, params=params, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()


def start_serve(config: Path) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "bulletins.cli", "--config", str(config), "serve",
               "--port", "0"]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert server.stdout is not None
    line = server.stdout.readline()  # the command prints its URL once it listens
    assert "http://127.0.0.1:" in line, line
    return server, line.split()[3].rstrip("/")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    directory = tmp_path_factory.mktemp("crawled")
    database = directory / "bulletins.db"
    with ReplicaServer() as replica:
        config = write_config(
            directory / "bulletins.yaml",
            database=f"sqlite:///{database}",
            sources=sources_config(replica.url),
        )
        result = crawl_json(config)
        assert sum(run["new_documents"] for run in result["runs"]) > 20, result
        server, url = start_serve(config)
        try:
            yield Site(url=url, database=database)
        finally:
            server.terminate()
            server.wait(timeout=30)


@dataclass
class Watch:
    """What a page did that it should not: console errors, failed requests, and
    requests to anywhere but the server on loopback."""

    problems: list[str] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=resolve_executable(), args=CHROMIUM_FLAGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(accept_downloads=True, locale="zh-CN")
    tab = context.new_page()
    watch = Watch()
    tab.on(
        "console",
        lambda m: (
            watch.problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    tab.on("pageerror", lambda e: watch.problems.append(f"page error: {e}"))
    tab.on("requestfailed", lambda r: watch.problems.append(f"failed: {r.url} {r.failure}"))
    tab.on("request", lambda r: watch.hosts.add(urlsplit(r.url).hostname or r.url))
    yield tab, watch
    context.close()


def visit(tab: Any, watch: Watch, url: str) -> None:
    response = tab.goto(url)
    assert response is not None and response.status == 200, url
    tab.wait_for_load_state("networkidle")


def assert_clean(watch: Watch) -> None:
    assert watch.problems == []
    assert watch.hosts <= {"127.0.0.1"}, watch.hosts  # nothing fetched from elsewhere


def top_metric(site: Site) -> str:
    metrics = site.api("/api/metrics")
    return next(m["name"] for m in metrics if m["name"] != "other" and m["count"])


def test_every_page_loads_clean(site: Site, page: tuple[Any, Watch]) -> None:
    tab, watch = page
    (document_id,) = site.sql(
        "SELECT document_id FROM figures GROUP BY document_id ORDER BY count(*) DESC LIMIT 1"
    )[0]
    for path in ("/", f"/documents/{document_id}", f"/figures?metric={top_metric(site)}",
                 "/sources"):  # fmt: skip
        visit(tab, watch, site.url + path)
    assert_clean(watch)


def test_sources_show_what_the_scheduler_knows(site: Site) -> None:
    sources = {s["id"]: s for s in site.api("/api/sources")}
    assert set(sources) == {s["id"] for s in sources_config("http://127.0.0.1:1")}
    for source in sources.values():
        assert source["configured"] and source["schedule"] and source["next_run"]
        assert source["last_run"] is not None and source["documents"] > 0


def test_the_chart_has_one_mark_per_point(site: Site, page: tuple[Any, Watch]) -> None:
    tab, watch = page
    metric = top_metric(site)
    visit(tab, watch, f"{site.url}/figures?metric={metric}&interval=month")
    tab.wait_for_selector("#chart[data-state=drawn]", timeout=30_000)
    marks = tab.locator("#chart g.mark-symbol.role-mark path").count()  # not the legend
    series = site.api("/api/series", metric=metric, interval="month")
    points = sum(1 for s in series["series"] for p in s["points"] if p["sum"] is not None)
    assert points > 3
    assert marks == points
    assert_clean(watch)


def test_search_for_a_chinese_word_finds_every_release_holding_it(
    site: Site, page: tuple[Any, Watch]
) -> None:
    tab, watch = page
    word = "诈骗"
    expected = {
        row[0]
        for row in site.sql(
            "SELECT id FROM documents WHERE instr(title, ?) OR instr(text, ?)", word, word
        )
    }
    assert len(expected) > 5
    visit(tab, watch, site.url + "/?limit=4")  # several pages, turned with htmx
    tab.fill("#q", word)
    tab.wait_for_function("location.search.includes('q=')", timeout=30_000)
    tab.wait_for_selector("li.document mark", timeout=30_000)
    found: list[int] = []
    while True:
        found += [int(i) for i in tab.locator("li.document").evaluate_all(
            "items => items.map(item => item.dataset.id)")]  # fmt: skip
        following = tab.locator("a[rel=next]")
        if following.count() == 0:
            break
        first = tab.locator("li.document").first.get_attribute("data-id")
        following.click()
        tab.wait_for_function(
            f"document.querySelector('li.document')?.dataset.id != '{first}'", timeout=30_000
        )
    assert sorted(found) == sorted(expected)
    assert "limit=4" in tab.url and "cursor=" in tab.url  # the state is in the URL
    assert_clean(watch)


def test_downloaded_csv_is_the_table_shown(site: Site, page: tuple[Any, Watch]) -> None:
    tab, watch = page
    metric = top_metric(site)
    visit(tab, watch, f"{site.url}/figures?metric={metric}&limit=20")
    shown = tab.locator("#figure-table tbody tr").evaluate_all(
        """rows => rows.map(row => [row.dataset.document,
            row.querySelector('td.num').dataset.value,
            row.querySelector('td.quote').textContent.trim()])"""
    )
    assert len(shown) == 20
    with tab.expect_download() as download:
        tab.click("#download-csv")
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheet programs want
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [[r["document_id"], r["value"], r["text"]] for r in rows] == shown
    assert_clean(watch)


def test_a_figure_shows_what_it_is_on_hover(site: Site, page: tuple[Any, Watch]) -> None:
    tab, watch = page
    (document_id, metric) = site.sql("SELECT document_id, metric FROM figures ORDER BY id LIMIT 1")[
        0
    ]
    visit(tab, watch, f"{site.url}/documents/{document_id}")
    mark = tab.locator("mark.fig").first
    mark.hover()
    tip = mark.evaluate("el => getComputedStyle(el, '::after').content")
    assert metric in tip and "数值" in tip
    assert_clean(watch)


def test_usable_on_a_phone(site: Site, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    try:
        for path in ("/", f"/figures?metric={top_metric(site)}", "/sources"):
            tab.goto(site.url + path)
            tab.wait_for_load_state("networkidle")
            overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (path, overflow)  # wide tables scroll inside their box
    finally:
        context.close()
