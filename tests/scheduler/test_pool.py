"""The warm pool (issue 16 prototype): crawls in long-lived workers, against the replica.

Real worker processes, a real replica on 127.0.0.1 and a real SQLite file; the
test process itself runs no reactor.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from sqlalchemy import func, select

from crawlers.sources.schema import SourceConfig
from replica.server import ReplicaServer
from replica.sites.ministry_en import HANG_PATH
from scheduler.outcome import TIME_LIMIT_REASON, CrawlOutcome
from scheduler.pool import PoolSettings, WarmPool
from storage.db import Database
from storage.models import CrawlRun, Document
from tests.scheduler.helpers import live_processes, wait_until

pytestmark = pytest.mark.e2e

FAST = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "RETRY_ENABLED": False,
    "DOWNLOAD_TIMEOUT": 4,
}


@pytest.fixture
def replica() -> Iterator[ReplicaServer]:
    with ReplicaServer(hang_seconds=30) as server:
        yield server


def source(replica: ReplicaServer, source_id: str = "replica-gbk") -> SourceConfig:
    entry = next(s for s in replica.sources_config() if s["id"] == source_id)
    return SourceConfig.model_validate(entry)


def hanging_source(replica: ReplicaServer) -> SourceConfig:
    return SourceConfig.model_validate(
        {
            "id": "hangs",
            "name": "A listing that never answers",
            "start_urls": [replica.url + HANG_PATH],
            "list": {"item": "li"},
            "render": "never",
        }
    )


def make_pool(url: str, **options: Any) -> WarmPool:
    return WarmPool(PoolSettings(database_url=url, overrides=FAST, **options)).start()


def run_of(db: Database, outcome: CrawlOutcome) -> CrawlRun:
    with db.session() as session:
        run = session.get(CrawlRun, outcome.run_id)
        assert run is not None
        return run


def open_runs(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(
            select(func.count()).select_from(CrawlRun).where(CrawlRun.status == "running")
        ) or 0)


def children_of(pid: int) -> set[int]:
    try:
        return {p.pid for p in psutil.Process(pid).children(recursive=True)}
    except psutil.NoSuchProcess:
        return set()


def test_crawls_store_through_the_shared_writer_then_poll_quietly(
    replica: ReplicaServer, sqlite_url: str
) -> None:
    pool = make_pool(sqlite_url)
    db = Database(sqlite_url)
    try:
        gbk = source(replica)
        first = pool.crawl(gbk, 60)
        assert first.status in ("ok", "partial"), first.reason
        assert first.new_documents > 0
        with db.session() as session:
            stored = session.scalar(select(func.count()).select_from(Document))
        assert stored == first.new_documents

        quiet = pool.crawl(gbk, 60)
        assert (quiet.status, quiet.new_documents) == ("ok", 0)
        assert quiet.pid == first.pid  # the same warm worker

        replica.publish("gbk", 2)
        fresh = pool.crawl(gbk, 60)
        assert fresh.new_documents == 2
        assert run_of(db, fresh).status in ("ok", "partial")
    finally:
        pool.close()
    assert open_runs(db) == 0


def test_a_crawl_past_its_time_limit_is_closed_and_the_worker_goes_on(
    replica: ReplicaServer, sqlite_url: str
) -> None:
    pool = make_pool(sqlite_url, stop_grace=20)
    db = Database(sqlite_url)
    try:
        hung = pool.crawl(hanging_source(replica), 1.0)
        assert hung.status == "failed"
        assert TIME_LIMIT_REASON in (hung.reason or "")
        assert hung.ended_by is None  # the worker ended it; nothing had to be killed
        after = pool.crawl(source(replica), 60)
        assert after.pid == hung.pid and after.status in ("ok", "partial")
    finally:
        pool.close()
    assert open_runs(db) == 0


def test_a_stuck_worker_is_killed_at_the_limit_and_replaced(
    replica: ReplicaServer, sqlite_url: str
) -> None:
    pool = make_pool(sqlite_url, stop_grace=1.0)
    db = Database(sqlite_url)
    try:
        [worker] = pool.workers()
        wait_until(worker.ready.is_set, 60, "the worker's start")
        assert worker.pid is not None
        stuck = worker.pid
        os.kill(stuck, signal.SIGSTOP)  # as a reactor blocked in a call would be
        outcome = pool.crawl(source(replica), 1.0)
        assert (outcome.status, outcome.reason, outcome.ended_by) == (
            "failed", TIME_LIMIT_REASON, TIME_LIMIT_REASON
        )
        assert run_of(db, outcome).status == "failed"
        wait_until(lambda: not live_processes({stuck}), 120, "the stuck worker gone")
        again = pool.crawl(source(replica), 60)
        assert again.pid != stuck and again.status in ("ok", "partial")
    finally:
        pool.close()
    assert open_runs(db) == 0


def test_a_worker_killed_mid_crawl_fails_its_crawl_and_takes_its_writer_along(
    replica: ReplicaServer, sqlite_url: str
) -> None:
    pool = make_pool(sqlite_url)
    db = Database(sqlite_url)
    outcomes: list[CrawlOutcome] = []
    try:
        [worker] = pool.workers()
        thread = threading.Thread(
            target=lambda: outcomes.append(pool.crawl(hanging_source(replica), 60))
        )
        thread.start()
        wait_until(lambda: open_runs(db) == 1, 60, "the crawl's run opened")
        assert worker.pid is not None
        family = children_of(worker.pid)
        assert family, "the worker has its writer"
        os.kill(worker.pid, signal.SIGKILL)
        thread.join(30)
        [outcome] = outcomes
        assert outcome.status == "failed"
        assert "SIGKILL" in (outcome.reason or "")
        wait_until(lambda: not live_processes(family), 120, "the worker's children gone")
    finally:
        pool.close()
    assert open_runs(db) == 0


def test_workers_are_recycled_after_n_crawls(replica: ReplicaServer, sqlite_url: str) -> None:
    pool = make_pool(sqlite_url, crawls_per_worker=2)
    try:
        gbk = source(replica)
        pids = [pool.crawl(gbk, 60).pid for _ in range(3)]
        assert pids[0] == pids[1] != pids[2]
        wait_until(lambda: not live_processes({pids[0]}), 120, "the recycled worker's exit")
        assert pool.recycled == 1
    finally:
        pool.close()


def test_a_worker_past_its_memory_limit_is_recycled(
    replica: ReplicaServer, sqlite_url: str
) -> None:
    pool = make_pool(sqlite_url, max_worker_rss_mb=1.0)  # any worker is past 1 MB
    try:
        gbk = source(replica)
        first, second = pool.crawl(gbk, 60), pool.crawl(gbk, 60)
        assert first.pid != second.pid
        assert second.status in ("ok", "partial")
        wait_until(lambda: not live_processes({first.pid}), 120, "the first worker's exit")
    finally:
        pool.close()


def test_workers_and_writers_die_with_the_pool_process(tmp_path: Path, sqlite_url: str) -> None:
    script = textwrap.dedent(
        f"""
        import time
        from scheduler.pool import PoolSettings, WarmPool
        pool = WarmPool(PoolSettings(database_url={sqlite_url!r}, workers=2)).start()
        for worker in pool.workers():
            worker.ready.wait(120)
        print(" ".join(str(w.pid) for w in pool.workers()), flush=True)
        time.sleep(300)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        workers = {int(pid) for pid in proc.stdout.readline().split()}
        assert len(workers) == 2
        family = set(workers)
        for pid in workers:
            family |= wait_until(lambda pid=pid: children_of(pid), 120, "the writers")
        proc.kill()
        proc.wait(10)
        wait_until(lambda: not live_processes(family), 120, "workers and writers gone")
    finally:
        if proc.poll() is None:
            proc.kill()
