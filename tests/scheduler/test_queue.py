"""Queue mode (issue 16): `bulletins worker` processes sharing one PostgreSQL queue.

Real worker processes (each with its warm pool), a real site on 127.0.0.1 that logs
every request, and a database of the test's own on the local PostgreSQL server
(procrastinate's objects in its ``procrastinate`` schema). Every source is due
``every 20s`` (TICK), which also shortens the queue's heartbeat, stall and recovery
times (`scheduler.queue.QueueTimings` follows the shortest schedule).
"""

from __future__ import annotations

import itertools
import re
import signal
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
import pytest
import yaml
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bulletins.cli import main
from replica.receiver import WebhookReceiver
from scheduler.queue import QueueTimings
from storage.db import Database
from storage.models import Alert, CrawlRun
from tests.conftest import PG_URL, _pg_available
from tests.scheduler.helpers import (
    Site,
    SiteServer,
    child_env,
    cli_command,
    live_processes,
    source_entry,
    wait_until,
    write_config,
)

TICK = 20
EVERY_TICK = f"every {TICK}s"
SOURCES = 12
ARTICLE = re.compile(r"^/(s\d+)/(\d+)\.html$")


def queue_config(
    path: Path, database: str, sources: list[dict[str, Any]], webhook_url: str | None = None
) -> Path:
    write_config(path, database, sources, webhook_url=webhook_url,
                 daemon={"grace_period": 10, "crawl_time_limit": 90})
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["execution"] = "queue"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


# --- configuration errors (no server needed) ---------------------------------------------


@pytest.mark.parametrize(
    "command", [["status"], ["worker"], ["daemon"], ["db", "upgrade"], ["sources", "list"]]
)
def test_queue_mode_on_sqlite_is_a_configuration_error_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    config = queue_config(tmp_path / "c.yaml", f"sqlite:///{tmp_path / 'b.db'}", [])
    assert main(["--config", str(config), *command]) == 2
    err = capsys.readouterr().err
    assert "configuration error" in err
    assert f"{config}:" in err
    assert "execution: queue needs PostgreSQL (the database is SQLite)" in err
    assert not (tmp_path / "b.db").exists()


def test_a_sqlite_db_option_over_a_queue_config_is_refused_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = queue_config(tmp_path / "c.yaml", PG_URL, [])
    assert main(["--config", str(config), "--db", f"sqlite:///{tmp_path / 'b.db'}", "status"]) == 2
    assert "execution: queue needs PostgreSQL" in capsys.readouterr().err


def test_worker_refuses_local_execution_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path / "c.yaml", f"sqlite:///{tmp_path / 'b.db'}", [])
    assert main(["--config", str(config), "worker"]) == 2
    err = capsys.readouterr().err
    assert "execution: `bulletins worker` needs execution: queue (it is local)" in err


# --- timings (no server needed) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedules", "expected"),
    [
        ([], QueueTimings()),
        (["0 */6 * * *", "every 1d"], QueueTimings()),
        (["* * * * *", "every 2h"], QueueTimings()),  # every minute: still the defaults
        (["every 1h", f"every {TICK}s"], QueueTimings(heartbeat=10 / 3, stalled_after=10,
                                                      recover_every=20, enqueue_every=20 / 12,
                                                      fetch_poll=20 / 12)),
        (["every 1s"], QueueTimings(heartbeat=8 / 3, stalled_after=8, recover_every=2,
                                    enqueue_every=0.5, fetch_poll=1)),
    ],
)
def test_queue_timings_follow_the_shortest_schedule(
    tmp_path: Path, schedules: list[str], expected: QueueTimings
) -> None:
    from bulletins.config import load_config

    site = Site(base_url="http://127.0.0.1:9")
    sources = [source_entry(site, f"s{i}", schedule=s) for i, s in enumerate(schedules)]
    sources.append(source_entry(site, "off", schedule="every 1s", enabled=False))
    config = load_config(queue_config(tmp_path / "c.yaml", PG_URL, sources))
    timings = QueueTimings.of(config)
    assert timings == expected
    # A dead worker's job comes back within about one and a half periods, never later
    # than with the defaults; the heartbeat stays well inside the stall time.
    assert timings.stalled_after >= 3 * timings.heartbeat
    assert timings.stalled_after + timings.recover_every <= 90


# --- workers on PostgreSQL -----------------------------------------------------------------


@pytest.fixture
def queue_db() -> Iterator[str]:
    """A database of this test's own on the local server, dropped afterwards."""
    reason = _pg_available()
    if reason:
        pytest.skip(reason)
    name = f"bw_queue_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name, query={}).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class Worker:
    """A `bulletins worker` (or, with `command`, another long-running command such as a
    queue-mode `bulletins daemon`) in its own session, logging to a file."""

    def __init__(self, config: Path, workdir: Path, n: int,
                 command: tuple[str, ...] = ("worker", "--concurrency", "4")) -> None:
        self.log_path = workdir / f"{command[0]}-{n}.log"
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            cli_command(config, *command, log_format="text"),
            cwd=workdir,
            env=child_env(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def crawl_workers(self) -> set[int]:
        try:
            return {p.pid for p in psutil.Process(self.proc.pid).children(recursive=True)}
        except psutil.NoSuchProcess:
            return set()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self._log.close()


def runs(db: Database) -> list[CrawlRun]:
    with db.session() as session:
        return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def assert_no_overlap(all_runs: list[CrawlRun]) -> None:
    by_source: dict[str, list[CrawlRun]] = {}
    for run in all_runs:
        by_source.setdefault(run.source_id, []).append(run)
    for source_id, source_runs in by_source.items():
        source_runs.sort(key=lambda r: as_utc(r.started_at))
        for earlier, later in itertools.pairwise(source_runs):
            assert earlier.finished_at is not None, f"{source_id}: run {earlier.id} still open"
            assert as_utc(earlier.finished_at) <= as_utc(later.started_at), (
                f"{source_id}: runs {earlier.id} and {later.id} overlap"
            )


@pytest.mark.postgres
@pytest.mark.e2e
@pytest.mark.timeout(600)
def test_two_workers_and_two_schedulers_crawl_each_source_once_per_tick_and_survive_a_sigkill(
    tmp_path: Path, site: SiteServer, queue_db: str
) -> None:
    sources = [source_entry(site.site, f"s{i}", schedule=EVERY_TICK) for i in range(SOURCES)]
    config = queue_config(tmp_path / "c.yaml", queue_db, sources)
    upgrade = subprocess.run(cli_command(config, "db", "upgrade"), env=child_env(),
                             capture_output=True, text=True, timeout=120)
    assert upgrade.returncode == 0, upgrade.stderr
    assert "queue schema (procrastinate): created" in upgrade.stdout
    db = Database(queue_db)
    workers = [Worker(config, tmp_path, n) for n in (1, 2)]
    # Two queue-mode daemons enqueue beside the workers' own enqueuers: four schedulers
    # deferring the same ticks, and still one crawl per source per tick.
    daemons = [Worker(config, tmp_path, n, ("daemon",)) for n in (1, 2)]
    try:
        # Warm-up: every source crawled once (its three articles stored).
        wait_until(lambda: len({r.source_id for r in runs(db) if r.status == "ok"}) == SOURCES,
                   180, "a first crawl of every source", every=0.5)
        first = (int(time.time() // TICK) + 1) * TICK  # the next tick, warm from here
        ticks = [first + k * TICK for k in range(3)]
        end = datetime.fromtimestamp(ticks[-1] + TICK, UTC)
        # The fourth tick's crawls start at `end`: only the runs begun before it are the
        # three ticks' (reading them all raced with the next tick's first run).
        def three_ticks() -> list[CrawlRun]:
            return [r for r in runs(db) if as_utc(r.started_at) < end]

        wait_until(lambda: datetime.now(UTC) > end and not any(
            r.status == "running" for r in three_ticks()), 4 * TICK + 60, "three ticks",
            every=0.5)

        phase_one = three_ticks()
        for source in (s["id"] for s in sources):
            starts = [as_utc(r.started_at).timestamp() for r in phase_one if r.source_id == source]
            for tick in ticks:
                in_tick = [s for s in starts if tick <= s < tick + TICK]
                assert len(in_tick) == 1, f"{source}: {len(in_tick)} crawls in the tick {tick}"
        assert {r.status for r in phase_one} == {"ok"}
        assert_no_overlap(phase_one)
        fetched = Counter(p for p in site.paths() if ARTICLE.match(p))
        assert len(fetched) == SOURCES * 3  # every article, of every source
        assert [p for p, n in fetched.items() if n > 1] == []  # none twice

        # A new article on s0 that takes long to answer; kill the worker crawling it.
        slow = site.site.section("s0")
        slow.article_delay = 60
        slow.articles += 1
        new_article = f"/s0/{slow.articles}.html"
        wait_until(lambda: new_article in site.paths(), 4 * TICK, "the slow fetch", every=0.2)
        running = wait_until(lambda: [r for r in runs(db) if r.source_id == "s0"
                                      and r.status == "running"], 30, "s0's open run")
        crawl_pid = running[-1].pid
        victim = next(w for w in workers if crawl_pid in w.crawl_workers())
        survivor = next(w for w in workers if w is not victim)
        killed_at = datetime.now(UTC)
        victim.proc.send_signal(signal.SIGKILL)
        victim.proc.wait(10)
        slow.article_delay = 0
        wait_until(lambda: not live_processes({crawl_pid}), 30, "its crawl worker's death")

        def crawled_since_kill() -> bool:
            done = {r.source_id for r in runs(db)
                    if r.status == "ok" and as_utc(r.started_at) > killed_at}
            return len(done) == SOURCES

        wait_until(crawled_since_kill, 120, "every source crawled after the SIGKILL", every=0.5)
        wait_until(lambda: not any(r.status == "running" for r in runs(db)), 60,
                   "no run left running", every=0.5)
        with db.session() as session:
            abandoned = session.get(CrawlRun, running[-1].id)
            assert abandoned is not None
            assert abandoned.status == "killed"
            assert "abandoned" in (abandoned.reason or "")
        assert_no_overlap(runs(db))
        again = Counter(p for p in site.paths() if ARTICLE.match(p))
        assert [p for p, n in again.items() if n > 1 and p != new_article] == []

        its_crawl_workers = survivor.crawl_workers()
        assert its_crawl_workers
        survivor.proc.send_signal(signal.SIGTERM)
        assert survivor.proc.wait(60) == 0, survivor.output()[-3000:]
        wait_until(lambda: not live_processes(its_crawl_workers), 30, "no crawl worker left")
        for daemon in daemons:  # they only enqueued, all along, and stop cleanly
            assert daemon.proc.poll() is None, daemon.output()[-3000:]
            assert daemon.crawl_workers() == set()
            daemon.proc.send_signal(signal.SIGTERM)
            assert daemon.proc.wait(60) == 0, daemon.output()[-3000:]
    finally:
        for worker in [*workers, *daemons]:
            worker.close()
        db.dispose()


@pytest.mark.postgres
def test_a_worker_without_the_queue_schema_says_to_upgrade(
    tmp_path: Path, queue_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = queue_config(tmp_path / "c.yaml", queue_db, [])
    assert main(["--config", str(config), "worker"]) == 1
    err = capsys.readouterr().err
    assert "the queue's schema 'procrastinate' is missing" in err
    assert "bulletins db upgrade" in err


# --- enqueueing without workers --------------------------------------------------------------


def waiting_jobs(database: str) -> list[tuple[str, int]]:
    engine = create_engine(database)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT lock, (args->>'timestamp')::bigint FROM procrastinate.procrastinate_jobs"
                " WHERE task_name = 'crawl' AND status = 'todo' ORDER BY lock"
            )).all()
    finally:
        engine.dispose()
    return [(lock, ts) for lock, ts in rows]


@pytest.mark.postgres
def test_two_dispatchers_enqueueing_at_once_defer_each_source_once_and_status_shows_it(
    tmp_path: Path, site: SiteServer, queue_db: str, capsys: pytest.CaptureFixture[str],
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from bulletins.config import load_config
    from scheduler.queue import QueueDispatcher

    # Weekly: one tick for the whole test.
    sources = [source_entry(site.site, f"s{i}", schedule="every 7d") for i in range(SOURCES)]
    config_path = queue_config(tmp_path / "c.yaml", queue_db, sources)
    assert main(["--config", str(config_path), "db", "upgrade"]) == 0
    config = load_config(config_path)
    dispatchers = [QueueDispatcher(config, name=f"d{n}") for n in (1, 2)]
    try:
        with ThreadPoolExecutor(8) as threads:
            outcomes = list(threads.map(
                lambda job: job[0].crawl(job[1], 60),
                [(d, s) for _ in range(3) for d in dispatchers for s in config.enabled_sources()],
            ))
    finally:
        for dispatcher in dispatchers:
            dispatcher.close(5)
    assert outcomes == [None] * (3 * 2 * SOURCES)  # handed off, never crawled here
    jobs = waiting_jobs(queue_db)
    assert sorted(lock for lock, _ in jobs) == sorted(s["id"] for s in sources)
    assert len({ts for _, ts in jobs}) == 1  # all for the same tick

    capsys.readouterr()
    assert main(["--config", str(config_path), "status", "--json"]) == 0
    import json

    rows = json.loads(capsys.readouterr().out)
    assert {row["queue"] for row in rows} == {"waiting"}
    assert len(rows) == SOURCES


# --- stalled jobs ------------------------------------------------------------------------------


@pytest.mark.postgres
def test_stalled_jobs_close_their_runs_then_are_retried_or_failed_when_superseded(
    tmp_path: Path, queue_db: str
) -> None:
    """A worker silent past the stall time holds two crawl jobs, each with an open run:
    `a` has a newer job waiting (procrastinate issue #1543: failed), `b` has not
    (put back). Both runs are closed as abandoned; no job is left 'doing'."""
    import asyncio

    from scheduler.queue import defer_crawl, make_app
    from scheduler.queue_recovery import recover_stalled
    from storage import repository
    from storage.runs import open_run

    config = queue_config(tmp_path / "c.yaml", queue_db, [])
    assert main(["--config", str(config), "db", "upgrade"]) == 0
    db = Database(queue_db)
    with db.session() as session, session.begin():
        run_ids = {}
        for source_id in ("a", "b"):
            repository.upsert_source(session, {"id": source_id, "name": source_id})
            run = open_run(session, source_id, pid=999_999)
            session.flush()
            run_ids[source_id] = run.id

    async def scenario() -> tuple[list[int], list[int], dict[str, list[str]]]:
        app = make_app(queue_db, "test")
        async with app.open_async():
            manager = app.job_manager
            await defer_crawl(app, "a", 100)
            await defer_crawl(app, "b", 100)
            dead = await manager.register_worker()
            taken = [await manager.fetch_job(["crawls"], dead) for _ in range(2)]
            assert all(job is not None for job in taken)
            assert await defer_crawl(app, "a", 200) is not None  # a's next tick waits
            await app.connector.execute_query_async(
                "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour'"
            )
            retried, failed = await recover_stalled(app, db, stalled_after=30)
            states: dict[str, list[str]] = {}
            for job in await manager.list_jobs_async(task="crawl"):
                states.setdefault(str(job.lock), []).append(str(job.status))
            return retried, failed, states

    try:
        retried, failed, states = asyncio.run(scenario())
        assert len(retried) == 1 and len(failed) == 1
        assert sorted(states["a"]) == ["failed", "todo"]
        assert states["b"] == ["todo"]
        with db.session() as session:
            for run_id in run_ids.values():
                run = session.get(CrawlRun, run_id)
                assert run is not None and run.status == "killed"
                assert (run.reason or "").startswith("abandoned")
    finally:
        db.dispose()


@pytest.mark.postgres
@pytest.mark.e2e
@pytest.mark.timeout(400)
def test_a_worker_delivers_rereads_its_config_on_sighup_and_outlives_lost_connections(
    tmp_path: Path, site: SiteServer, receiver: WebhookReceiver, queue_db: str
) -> None:
    s0 = source_entry(site.site, "s0", schedule=EVERY_TICK)
    s1 = source_entry(site.site, "s1", schedule=EVERY_TICK)
    config = queue_config(tmp_path / "c.yaml", queue_db, [s0], webhook_url=receiver.url)
    assert main(["--config", str(config), "db", "upgrade"]) == 0
    db = Database(queue_db)
    worker = Worker(config, tmp_path, 1)
    admin = create_engine(queue_db, isolation_level="AUTOCOMMIT")
    try:
        wait_until(lambda: any(r.status == "ok" for r in runs(db)), 180, "a crawl of s0")
        # Its three new documents' alerts go out as a `deliver` job.
        wait_until(lambda: len(receiver.received) >= 3, 60, "alerts at the webhook")

        def statuses() -> set[str]:
            with db.session() as session:
                return set(session.scalars(select(Alert.status)))

        # The receiver answers before the worker marks the alerts delivered: wait for that.
        wait_until(lambda: statuses() == {"delivered"}, 60, "the alerts marked delivered")
        with admin.connect() as conn:  # the server drops the worker's connections
            ended = conn.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND application_name LIKE 'bulletins-worker%'"
            )).scalar()
        assert ended
        cut = datetime.now(UTC)
        queue_config(config, queue_db, [s0, s1], webhook_url=receiver.url)
        worker.proc.send_signal(signal.SIGHUP)

        def both_crawled_after_cut() -> bool:
            done = {r.source_id for r in runs(db)
                    if r.status == "ok" and as_utc(r.started_at) > cut}
            return done == {"s0", "s1"}

        wait_until(both_crawled_after_cut, 3 * TICK + 60, "s0 and the new s1 crawled", every=0.5)
        assert "configuration reloaded: 2 source(s)" in worker.output()
        assert worker.proc.poll() is None

        # SIGTERM with a crawl stuck past the grace period (10 s): the pool ends it.
        slow = site.site.section("s1")
        slow.article_delay, slow.articles = 120, slow.articles + 1
        stuck = wait_until(lambda: [r for r in runs(db) if r.source_id == "s1"
                                    and r.status == "running"], 3 * TICK + 30, "s1 running")
        wait_until(lambda: f"/s1/{slow.articles}.html" in site.paths(), 30, "the slow fetch")
        worker.proc.send_signal(signal.SIGTERM)
        assert worker.proc.wait(90) == 0, worker.output()[-3000:]
        with db.session() as session:
            ended = session.get(CrawlRun, stuck[-1].id)
            # As the daemon's pool records a crawl its shutdown cut short.
            assert ended is not None and ended.status == "killed"
            assert "shutdown" in (ended.reason or ""), ended.reason
        assert not [r for r in runs(db) if r.status == "running"]
    finally:
        worker.close()
        admin.dispose()
        db.dispose()
