"""Fixtures of the browser tests: the replica (with the sites that need a browser),
whole crawls in a child process, and `requires_chromium`.

Browser tests run a real Chromium (Debian's /usr/bin/chromium, $BULLETINS_CHROMIUM,
or Playwright's own). Where none can be had they skip and say why; `make test`
installs Debian's package where it can (scripts/install-browser.sh).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from crawlers.browser import chromium_missing
from replica import ReplicaServer
from tests.e2e.conftest import write_config

MISSING = chromium_missing()

#: Marks a test that drives a real Chromium; it skips, saying why, where there is none.
requires_chromium = pytest.mark.skipif(MISSING is not None, reason=f"no browser: {MISSING}")

BROWSER_CRAWL = {"download_timeout": 10, "concurrency_per_site": 8}


@pytest.fixture
def chromium() -> str | None:
    """A test that needs Chromium asks for this fixture (or carries `requires_chromium`)."""
    if MISSING is not None:
        pytest.skip(f"no browser: {MISSING}")
    from crawlers.browser import resolve_executable

    return resolve_executable()


@pytest.fixture
def replica() -> Iterator[ReplicaServer]:
    with ReplicaServer(hang_seconds=30) as server:
        yield server


@pytest.fixture
def browser_config(
    tmp_path: Path, replica: ReplicaServer, sqlite_url: str
) -> Callable[..., Path]:
    """A config crawling the named replica sources (``render`` optionally overridden)."""

    def make(
        *ids: str,
        render: dict[str, str] | None = None,
        extra: list[dict[str, Any]] | None = None,
        crawl: dict[str, Any] | None = None,
        browser: dict[str, Any] | None = None,
    ) -> Path:
        sources = [s for s in replica.sources_config(browser=True) if s["id"] in ids]
        for source in sources:
            if render and source["id"] in render:
                source["render"] = render[source["id"]]
        return write_config(
            tmp_path / "bulletins.yaml",
            database=sqlite_url,
            sources=sources + (extra or []),
            crawl={**BROWSER_CRAWL, **(crawl or {})},
            browser={"max_pages": 4, "timeout": 10, **(browser or {})},
        )

    return make


def runs_of(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {run["source_id"]: run for run in data["runs"]}


def stored_urls(sqlite_url: str, source_id: str) -> set[str]:
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT url FROM sightings WHERE source_id = ?", (source_id,))
        return {row[0] for row in rows}


def crawl_rows(sqlite_url: str) -> list[dict[str, Any]]:
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute("SELECT * FROM crawl_runs ORDER BY id").fetchall()
        return [
            {**dict(row), "errors": json.loads(row["errors"] or "[]")} for row in rows
        ]
