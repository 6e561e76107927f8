"""Crawl processes: time limits, process groups, and how every ending is recorded.

A shell script stands in for the Python interpreter here, so these tests need no
crawl; the real command runs in the end-to-end tests.
"""

from __future__ import annotations

import signal
import stat
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from crawlers.sources.schema import SourceConfig
from scheduler.child import (
    SHUTDOWN_REASON,
    TIME_LIMIT_REASON,
    ChildSpec,
    CrawlLauncher,
    LauncherClosed,
)
from storage.db import Database
from storage.models import CrawlRun, Source
from tests.scheduler.helpers import live_processes, wait_until

SOURCE = SourceConfig.model_validate(
    {"id": "alpha", "name": "Alpha", "start_urls": ["http://127.0.0.1:9/"], "list": {"item": "li"}}
)


def launcher(tmp_path: Path, db: Database, script: str) -> CrawlLauncher:
    path = tmp_path / "fake-python"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    spec = ChildSpec(config_path=tmp_path / "c.yaml", database_url=db.url, python=str(path))
    return CrawlLauncher(spec, db)


def recorded(db: Database) -> list[CrawlRun]:
    with db.session() as session:
        return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def test_the_command_line() -> None:
    spec = ChildSpec(Path("/etc/b.yaml"), "sqlite:////var/lib/b.db", "INFO", "json", python="py")
    assert spec.command("jx-gat") == [
        "py", "-m", "bulletins.cli", "--config", "/etc/b.yaml", "--db", "sqlite:////var/lib/b.db",
        "--log-level", "INFO", "--log-format", "json", "crawl", "jx-gat", "--no-deliver", "--json",
    ]  # fmt: skip
    secret = ChildSpec(None, "postgresql://bw:s3cret@db/bw", python="py")
    assert "s3cret" not in " ".join(secret.command("x"))
    assert secret.environment()["BULLETINS_DATABASE_URL"] == "postgresql://bw:s3cret@db/bw"


def test_time_limit_kills_the_whole_group_and_records_a_failed_run(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(sqlite_url)
    pidfile = tmp_path / "grandchild.pid"
    monkeypatch.setenv("PIDFILE", str(pidfile))
    crawler = launcher(tmp_path, db, 'sleep 300 &\necho $! > "$PIDFILE"\nsleep 300\n')
    outcome = crawler.crawl(SOURCE, time_limit=1.0)  # ended by the limit, said below
    assert (outcome.status, outcome.reason, outcome.ended_by) == (
        "failed",
        TIME_LIMIT_REASON,
        TIME_LIMIT_REASON,
    )
    assert outcome.returncode == -signal.SIGKILL
    grandchild = int(pidfile.read_text())
    wait_until(lambda: not live_processes({outcome.pid, grandchild}), 120, "the group gone")
    [run] = recorded(db)
    assert (run.id, run.status, run.reason, run.pid) == (
        outcome.run_id,
        "failed",
        TIME_LIMIT_REASON,
        outcome.pid,
    )
    assert run.finished_at is not None
    with db.session() as session:
        assert session.get(Source, "alpha") is not None  # the health watch has a row to mark
    assert crawler.running() == []
    db.dispose()


def test_what_a_finished_crawl_left_behind_is_ended(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A leftover (a browser) holding the child's output open does not hold the crawl."""
    db = Database(sqlite_url)
    pidfile = tmp_path / "leftover.pid"
    monkeypatch.setenv("PIDFILE", str(pidfile))
    outcome = launcher(tmp_path, db, 'sleep 300 &\necho $! > "$PIDFILE"\nexit 0\n').crawl(
        SOURCE, time_limit=120
    )
    assert outcome.ended_by is None  # it ended with the child, not at the time limit
    wait_until(lambda: not live_processes({int(pidfile.read_text())}), 5, "the leftover gone")
    db.dispose()


def test_the_row_the_child_left_running_is_the_one_closed(tmp_path: Path, sqlite_url: str) -> None:
    db = Database(sqlite_url)
    crawler = launcher(tmp_path, db, "sleep 300\n")
    from storage import repository

    def open_row() -> None:  # what the child's spider does when it opens
        pid = wait_until(lambda: crawler.running(), 120, "the child")[0][1]
        with db.session() as session, session.begin():
            repository.upsert_source(session, SOURCE.model_dump(mode="json"))
            repository.start_run(session, "alpha", pid=pid)

    thread = threading.Thread(target=open_row)
    thread.start()
    outcome = crawler.crawl(SOURCE, time_limit=1.5)
    thread.join()
    [run] = recorded(db)
    assert run.id == outcome.run_id and run.status == "failed" and run.reason == TIME_LIMIT_REASON
    db.dispose()


def test_a_crash_is_recorded(tmp_path: Path, sqlite_url: str) -> None:
    db = Database(sqlite_url)
    outcome = launcher(tmp_path, db, "exit 3\n").crawl(SOURCE, time_limit=10)
    assert outcome.status == "failed" and outcome.ended_by is None
    assert outcome.reason == "the crawl process exited with status 3"
    assert [r.reason for r in recorded(db)] == ["the crawl process exited with status 3"]
    db.dispose()


def test_a_normal_ending_is_read_from_the_childs_summary(tmp_path: Path, sqlite_url: str) -> None:
    db = Database(sqlite_url)
    summary = '{"runs": [{"source_id": "alpha", "run_id": 42, "status": "partial", "reason": "1 page(s) failed", "new_documents": 3}]}'  # noqa: E501
    outcome = launcher(tmp_path, db, f"echo '{summary}'\n").crawl(SOURCE, time_limit=10)
    assert (outcome.status, outcome.run_id, outcome.new_documents) == ("partial", 42, 3)
    assert recorded(db) == []  # the child recorded its own run
    db.dispose()


def test_shutdown_ends_running_crawls_and_starts_no_more(tmp_path: Path, sqlite_url: str) -> None:
    db = Database(sqlite_url)
    crawler = launcher(tmp_path, db, "trap 'exit 1' TERM\nsleep 300 & wait\n")
    outcomes = []
    thread = threading.Thread(target=lambda: outcomes.append(crawler.crawl(SOURCE, 60)))
    thread.start()
    wait_until(crawler.running, 120, "the crawl running")
    crawler.close()
    assert crawler.signal_all(signal.SIGTERM) == 1
    thread.join(10)
    crawler.signal_all(signal.SIGKILL)
    [outcome] = outcomes
    assert (outcome.status, outcome.reason, outcome.ended_by) == (
        "killed",
        SHUTDOWN_REASON,
        "shutdown",
    )
    assert [r.status for r in recorded(db)] == ["killed"]
    with pytest.raises(LauncherClosed):
        crawler.crawl(SOURCE, 60)
    db.dispose()
