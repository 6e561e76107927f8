"""The daemon's jobs in-process (no crawl): catch-up at start, reloads, the crawl cap."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
import yaml

from bulletins.commands.scheduling import local_dispatcher
from bulletins.config import ConfigError, load_config
from scheduler.daemon import Daemon
from scheduler.daemon_config import DaemonConfig, InvalidConfig
from storage import repository, runs
from storage.db import Database

NOW = datetime(2025, 3, 1, 4, 10, tzinfo=UTC)  # 12:10 in Shanghai


def source(sid: str, schedule: str = "0 * * * *", **extra: Any) -> dict[str, Any]:
    return {
        "id": sid,
        "name": f"Source {sid}",
        "schedule": schedule,
        "start_urls": [f"http://127.0.0.1:9/{sid}/"],
        "list": {"item": "li"},
        **extra,
    }


def write(path: Path, url: str, sources: list[dict[str, Any]], **daemon: Any) -> Path:
    data = {
        "database": url,
        "builtin_sources": False,
        "sources": sources,
        "daemon": {"jitter": 0, **daemon},
    }
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def make_daemon(path: Path) -> Daemon:
    """The daemon as `bulletins daemon` wires it (its pool starts no worker: no crawl)."""

    def reload() -> DaemonConfig:
        try:
            return load_config(path)
        except ConfigError as exc:
            raise InvalidConfig(str(exc)) from None

    config = load_config(path)
    return Daemon(config, local_dispatcher(config, "WARNING"), reload=reload)


def succeeded(db: Database, sid: str, when: datetime) -> None:
    with db.session() as session, session.begin():
        repository.upsert_source(session, {"id": sid, "name": sid})
        run = runs.open_run(session, sid)
        run.started_at = when
        session.flush()
        runs.finish_run(session, run.id, status="ok")


@pytest.fixture
def daemon(tmp_path: Path, sqlite_url: str) -> Iterator[Daemon]:
    db = Database(sqlite_url)
    succeeded(db, "recent", NOW - timedelta(minutes=5))  # after 12:00: not due
    succeeded(db, "old", NOW - timedelta(hours=2))  # missed 11:00 and 12:00
    db.dispose()
    path = write(
        tmp_path / "b.yaml",
        sqlite_url,
        [source("recent"), source("old"), source("new"), source("off", enabled=False)],
    )
    with time_machine.travel(NOW, tick=False):
        d = make_daemon(path)
        d.scheduler.start(paused=True)
        yield d
        d.scheduler.shutdown(wait=False)
        d.db.dispose()


def next_runs(daemon: Daemon) -> dict[str, datetime]:
    return {sid: job.next_run_time for sid, job in daemon._crawl_jobs().items()}


def test_at_start_overdue_sources_run_once_at_once(daemon: Daemon) -> None:
    daemon._sync_jobs(catch_up=True)
    runs = next_runs(daemon)
    assert set(runs) == {"recent", "old", "new"}  # not the disabled one
    assert runs["recent"] == datetime(2025, 3, 1, 5, tzinfo=UTC)  # 13:00 in Shanghai
    assert runs["old"] == NOW and runs["new"] == NOW
    job = daemon.scheduler.get_job("crawl:old")
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, None)


def test_reload_adds_removes_and_reschedules(
    daemon: Daemon, sqlite_url: str, tmp_path: Path
) -> None:
    daemon._sync_jobs(catch_up=True)
    before = daemon.scheduler.get_job("crawl:recent")
    write(
        tmp_path / "b.yaml",
        sqlite_url,
        [source("recent"), source("old", "30 * * * *"), source("added")],
        max_concurrent_crawls=3,
    )
    assert daemon.reload()
    runs = next_runs(daemon)
    assert set(runs) == {"recent", "old", "added"}
    assert daemon.scheduler.get_job("crawl:recent") is before  # unchanged: left alone
    assert runs["old"] == datetime(2025, 3, 1, 4, 30, tzinfo=UTC)  # the new schedule
    assert runs["added"] == NOW  # never crawled: at once
    assert daemon.config.daemon.max_concurrent_crawls == 3


def test_a_source_rescheduled_to_an_interval_fires_on_its_multiples(
    daemon: Daemon, sqlite_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    daemon._sync_jobs(catch_up=True)
    write(
        tmp_path / "b.yaml",
        sqlite_url,
        [source("recent", "every 20m"), source("old"), source("new"), source("quick", "every 1h")],
    )
    with caplog.at_level("INFO", logger="scheduler"):
        assert daemon.reload()
    runs = next_runs(daemon)
    assert runs["recent"] == datetime(2025, 3, 1, 4, 20, tzinfo=UTC)  # 04:00 + 20 min
    assert runs["quick"] == NOW  # never crawled: at once, then on the hour (UTC)
    assert "scheduled every 20m" in caplog.text


def test_a_bad_config_on_reload_keeps_the_old_one(
    daemon: Daemon, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    daemon._sync_jobs(catch_up=True)
    old = daemon.config
    (tmp_path / "b.yaml").write_text("sources:\n  - id: Not A Slug\n", encoding="utf-8")
    assert not daemon.reload()
    assert daemon.config is old
    assert set(next_runs(daemon)) == {"recent", "old", "new"}
    assert "keeping the old one" in caplog.text and "Not A Slug" in caplog.text


def test_the_cap_on_concurrent_crawls(daemon: Daemon) -> None:
    assert daemon.config.daemon.max_concurrent_crawls == 2
    assert daemon._take_slot("recent") and daemon._take_slot("old")
    waiting = threading.Event()
    got: list[bool] = []

    def third() -> None:
        waiting.set()
        got.append(daemon._take_slot("new"))

    thread = threading.Thread(target=third)
    thread.start()
    waiting.wait(5)
    thread.join(0.3)
    assert thread.is_alive() and got == []  # waits for a free slot
    with daemon._slots:
        daemon._running.discard("old")
        daemon._slots.notify_all()
    thread.join(5)
    assert got == [True]
    # The same source twice at once: never.
    with daemon._slots:
        daemon._running.discard("new")
    assert not daemon._take_slot("recent")


def test_the_daemon_process_never_loads_scrapy() -> None:
    """Crawls run in child processes only: a Twisted reactor starts once per process."""
    script = (
        "import sys\n"
        "from bulletins.cli import build_parser\n"
        "build_parser()\n"
        "import scheduler.daemon, scheduler.rundue\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_run_waits_for_signals_and_stops(tmp_path: Path, sqlite_url: str) -> None:
    path = write(tmp_path / "b.yaml", sqlite_url, [])
    daemon = make_daemon(path)
    timer = threading.Timer(0.3, daemon.request_reload)
    stopper = threading.Timer(0.6, daemon.request_stop)
    timer.start()
    stopper.start()
    assert daemon.run() == 0
    assert daemon.stopping
