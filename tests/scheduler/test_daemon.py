"""The daemon as a real process: schedules, child crawls, time limits, signals."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from replica.receiver import WebhookReceiver
from scheduler.outcome import SHUTDOWN_REASON, TIME_LIMIT_REASON
from storage.db import Database
from storage.models import Alert, CrawlRun, Document, Sighting
from tests.scheduler.helpers import (
    DaemonProcess,
    SiteServer,
    live_processes,
    processes_mentioning,
    source_entry,
    wait_until,
    write_config,
)

pytestmark = pytest.mark.e2e


def runs(db: Database, source: str, status: str | None = None) -> list[CrawlRun]:
    with db.session() as session:
        query = select(CrawlRun).where(CrawlRun.source_id == source).order_by(CrawlRun.id)
        if status:
            query = query.where(CrawlRun.status == status)
        return list(session.scalars(query))


def count(db: Database, model: type) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_daemon_crawls_stores_delivers_and_stops_cleanly_on_sigterm(
    tmp_path: Path, sqlite_url: str, site: SiteServer, receiver: WebhookReceiver
) -> None:
    config = write_config(
        tmp_path / "bulletins.yaml",
        sqlite_url,
        [source_entry(site.site, "alpha", schedule="every 2s")],
        webhook_url=receiver.url,
        daemon={"grace_period": 3},
    )
    db = Database(sqlite_url)
    daemon = DaemonProcess(config, tmp_path)
    try:
        # Never crawled, so due at start; then again every 2 seconds.
        wait_until(lambda: len(runs(db, "alpha", "ok")) >= 2, 40, "two scheduled crawls")
        assert count(db, Document) == 3
        wait_until(lambda: receiver.received, 120, "alerts delivered to the webhook")
        with db.session() as session:
            delivered = session.scalar(
                select(func.count()).select_from(Alert).where(Alert.status == "delivered")
            )
        assert delivered and delivered >= 1

        # New releases, each slow to load: the next crawl is busy writing when
        # SIGTERM arrives.
        section = site.site.sections["alpha"]
        section.articles, section.article_delay = 60, 2.0
        busy = len(runs(db, "alpha"))
        wait_until(
            lambda: len(runs(db, "alpha")) > busy and runs(db, "alpha")[-1].status == "running",
            120,
            "a crawl in progress",
        )
        wait_until(lambda: count(db, Document) > 3, 120, "the crawl storing documents")
        code, _seconds = daemon.stop()
        assert code == 0, daemon.output()
        # That it did not wait for the crawl to finish is in its run (killed by the
        # shutdown, below), not in a wall-clock bound that a loaded machine breaks.
        daemon.logged("crawl started")
        assert daemon.children
        assert live_processes(daemon.children) == []
        assert processes_mentioning(str(config)) == []
    finally:
        daemon.close()

    last = runs(db, "alpha")[-1]
    # Cut short by the shutdown (60 slow articles), and said so.
    assert (last.status, last.reason) == ("killed", SHUTDOWN_REASON)
    assert 3 < count(db, Document) < 60
    assert runs(db, "alpha", "running") == []
    with db.session() as session:
        orphans = session.scalar(
            select(func.count())
            .select_from(Document)
            .where(~Document.id.in_(select(Sighting.document_id)))
        )
    assert orphans == 0
    db.dispose()
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_hung_crawl_is_killed_at_its_time_limit_and_the_others_go_on(
    tmp_path: Path, sqlite_url: str, site: SiteServer
) -> None:
    config = write_config(
        tmp_path / "bulletins.yaml",
        sqlite_url,
        [
            source_entry(site.site, "stuck", schedule="every 2s",
                         start_urls=[site.site.hang_url]),
            source_entry(site.site, "alpha", schedule="every 2s"),
        ],
        # The limit applies to every crawl: well above what alpha's few pages take even
        # on a loaded machine, so that only the stuck crawl ever reaches it.
        daemon={"crawl_time_limit": 20, "grace_period": 2},
        crawl={"download_timeout": 600},
    )
    db = Database(sqlite_url)
    daemon = DaemonProcess(config, tmp_path)
    try:
        started = daemon.wait_log("crawl started", "stuck")
        pid = int(started["message"].split("pid ")[1].rstrip(")"))
        # (The limit counts from the worker taking the order: its start-up comes first.)
        failed = wait_until(lambda: runs(db, "stuck", "failed"), 120, "the time limit")
        # Its worker closed it at the limit (or was killed with it, had it been stuck).
        assert (failed[0].reason or "").endswith(TIME_LIMIT_REASON)
        assert failed[0].pid == pid and failed[0].finished_at is not None
        # Meanwhile and afterwards the other source is crawled on schedule, and the
        # stuck one is tried again.
        before = len(wait_until(lambda: runs(db, "alpha", "ok"), 120, "alpha crawled"))
        wait_until(lambda: len(runs(db, "alpha", "ok")) > before, 120, "alpha crawled again")
        wait_until(lambda: len(runs(db, "stuck")) >= 2, 120, "stuck tried again")
        assert daemon.alive()
        code, _ = daemon.stop()
        assert code == 0
        assert processes_mentioning(str(config)) == []
        assert live_processes(daemon.children) == []  # the crawl workers went with it
    finally:
        daemon.close()
    assert runs(db, "stuck", "running") == []
    db.dispose()


def test_sighup_adds_a_source_without_dropping_the_running_crawl(
    tmp_path: Path, sqlite_url: str, site: SiteServer
) -> None:
    # Weekly: crawled once at start (never crawled before), not again during the test.
    alpha = source_entry(site.site, "alpha", schedule="every 7d")
    beta = source_entry(site.site, "beta", schedule="every 7d")
    site.site.sections["alpha"].article_delay = 1.5  # a crawl of about 3 seconds
    config = write_config(tmp_path / "bulletins.yaml", sqlite_url, [alpha])
    db = Database(sqlite_url)
    daemon = DaemonProcess(config, tmp_path)
    try:
        started = daemon.wait_log("crawl started", "alpha")
        write_config(config, sqlite_url, [alpha, beta])
        daemon.send(signal.SIGHUP)
        daemon.wait_log("configuration reloaded")
        wait_until(lambda: runs(db, "beta", "ok"), 120, "the added source crawled")
        done = wait_until(lambda: runs(db, "alpha", "ok"), 120, "the running crawl finishing")
        assert len(runs(db, "alpha")) == 1
        assert done[0].pid == int(started["message"].split("pid ")[1].rstrip(")"))

        # A bad config on reload is reported and the old one kept.
        config.write_text("sources: [this is: not valid", encoding="utf-8")
        daemon.send(signal.SIGHUP)
        daemon.wait_log("keeping the old one")
        assert len(daemon.logged("scheduled every")) == 2
        # Still running and still answering: the next reload (a good file) is applied.
        reloads = len(daemon.logged("configuration reloaded"))
        write_config(config, sqlite_url, [alpha, beta])
        daemon.send(signal.SIGHUP)
        wait_until(
            lambda: len(daemon.logged("configuration reloaded")) > reloads,
            120,
            "a reload after the bad file",
        )
        assert daemon.alive()

        # A second daemon on the same database refuses to start.
        other = DaemonProcess(write_config(tmp_path / "other.yaml", sqlite_url, [alpha]), tmp_path)
        try:
            assert other.proc.wait(30) == 1
            assert other.logged("another daemon is running")
        finally:
            other.close()
        code, _ = daemon.stop()
        assert code == 0
    finally:
        daemon.close()
    db.dispose()


def test_sighup_with_a_broken_config_keeps_crawling_with_the_old_one(
    tmp_path: Path, sqlite_url: str, site: SiteServer
) -> None:
    """D5: crawls run with the configuration the daemon holds, never the file's."""
    config = write_config(
        tmp_path / "bulletins.yaml", sqlite_url,
        [source_entry(site.site, "alpha", schedule="every 2s")],
    )
    db = Database(sqlite_url)
    daemon = DaemonProcess(config, tmp_path)
    try:
        wait_until(lambda: runs(db, "alpha", "ok"), 40, "a first crawl")
        config.write_text("sources: [this is: not valid", encoding="utf-8")
        daemon.send(signal.SIGHUP)
        daemon.wait_log("keeping the old one")
        after = len(runs(db, "alpha"))

        def ended_after() -> list[CrawlRun]:
            return [r for r in runs(db, "alpha")[after:] if r.status != "running"]

        wait_until(lambda: len(ended_after()) >= 2, 60, "two crawls ended after SIGHUP")
        assert [(r.status, r.reason) for r in ended_after()[:2]] == [("ok", None), ("ok", None)]
        assert daemon.alive()
        code, _ = daemon.stop()
        assert code == 0
    finally:
        daemon.close()
    db.dispose()
