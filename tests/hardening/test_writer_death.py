"""Issue 11, D4: a crawl whose database writer dies fails, says why, and exits.

The writer is stopped first (SIGSTOP) so the pipe to it fills with queued
articles, then killed (SIGKILL): the state in which the probe's crawl printed its
summary and then hung for ever, its queue's feeder thread blocked on a pipe that
nobody reads any more.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import psutil
import pytest
from sqlalchemy import select

from replica import ReplicaServer
from storage.db import Database
from storage.models import CrawlRun
from tests.e2e.conftest import write_config

pytestmark = pytest.mark.e2e

ARTICLES = 600
#: Generous: the crawl should be gone within seconds of the writer.
DEADLINE = 180.0
T = TypeVar("T")


def wait_for(what: str, probe: Callable[[], T | None], deadline: float = 60.0) -> T:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        value = probe()
        if value:
            return value
        time.sleep(0.05)  # polling for the event, not waiting in its place
    raise AssertionError(f"gave up waiting for {what} after {deadline:.0f}s")


def writer_of(crawl: subprocess.Popen[str]) -> psutil.Process | None:
    for child in psutil.Process(crawl.pid).children():
        try:
            if any("spawn_main" in part for part in child.cmdline()):
                return child
        except psutil.NoSuchProcess:
            continue
    return None


def article_requests(replica: ReplicaServer) -> int:
    return len([r for r in replica.requests if r.path.startswith("/bench/2")])


def test_a_crawl_whose_writer_is_killed_fails_naming_the_writer_and_exits(
    tmp_path: Path, sqlite_url: str
) -> None:
    with ReplicaServer(bench_articles=ARTICLES) as replica:
        source = next(s for s in replica.sources_config() if s["id"] == "replica-bench")
        config = write_config(tmp_path / "bulletins.yaml", database=sqlite_url, sources=[source])
        crawl = subprocess.Popen(
            [sys.executable, "-m", "bulletins.cli", "--config", str(config),
             "crawl", "--json", "--no-deliver", source["id"]],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            writer = wait_for("the writer process", lambda: writer_of(crawl))
            os.kill(writer.pid, signal.SIGSTOP)
            # ~8 KB an article: 30 of them overflow the 64 KB pipe to the writer
            wait_for("30 articles fetched", lambda: article_requests(replica) >= 30)
            os.kill(writer.pid, signal.SIGKILL)
            try:
                out, err = crawl.communicate(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                pytest.fail(f"the crawl was still running {DEADLINE:.0f}s after its writer died")
        finally:
            if crawl.poll() is None:
                crawl.kill()
                crawl.communicate()
        fetched = article_requests(replica)

    assert crawl.returncode == 1, err
    [run] = json.loads(out)["runs"]
    assert run["status"] == "failed"
    assert "writer" in run["reason"] and "signal 9" in run["reason"], run["reason"]
    assert fetched < ARTICLES  # the crawl stopped: nowhere to store what it would fetch
    db = Database(sqlite_url)
    with db.session() as session:
        row = session.scalars(select(CrawlRun)).one()
    db.dispose()
    assert row.status == "failed" and row.reason == run["reason"]


def _file_size_limit() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))


#: The probe's `ulimit -f 1200` (in bytes): the database file fills up mid-crawl.
FILE_LIMIT = 1200 * 1024


def test_a_crawl_whose_writer_fails_on_a_full_disk_fails_and_exits(
    tmp_path: Path, sqlite_url: str
) -> None:
    """The probe's reproduction: the writer's database file hits the file size limit,
    the writer reports the failure and exits while the crawl still queues articles."""
    with ReplicaServer(bench_articles=ARTICLES) as replica:
        source = next(s for s in replica.sources_config() if s["id"] == "replica-bench")
        config = write_config(tmp_path / "bulletins.yaml", database=sqlite_url, sources=[source])
        Database(sqlite_url).dispose()  # the schema, before the limit applies
        crawl = subprocess.Popen(
            [sys.executable, "-m", "bulletins.cli", "--config", str(config),
             "crawl", "--json", "--no-deliver", source["id"]],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_file_size_limit,
        )
        try:
            out, err = crawl.communicate(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            crawl.kill()
            crawl.communicate()
            pytest.fail(f"the crawl was still running after {DEADLINE:.0f}s")

    assert crawl.returncode == 1, err
    [run] = json.loads(out)["runs"]
    assert run["status"] == "failed"
    assert run["reason"].startswith("storing failed:"), run["reason"]
