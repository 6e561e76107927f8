"""The procrastinate spike (issue 16 phase 1) on the local PostgreSQL, in a schema of its own.

Proves, with real workers: at most one waiting and one running job per source;
periodic enqueueing from two workers never doubles a tick; a SIGKILLed worker's
job is retried after the stall time, and a stalled job whose source already has
a job waiting is failed instead of crashing the recovery (procrastinate #1543);
a worker whose connections are killed (pg_terminate_backend, our own only)
reconnects and goes on.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from procrastinate.periodic import PeriodicDeferrer

from tests.conftest import PG_URL, _pg_available

pytestmark = pytest.mark.postgres
procrastinate = pytest.importorskip("procrastinate")
psycopg = pytest.importorskip("psycopg")

from spikes import procrastinate_queue as spike  # noqa: E402

BASE = PG_URL.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture
def schema() -> Iterator[str]:
    reason = _pg_available()
    if reason:
        pytest.skip(reason)
    name = f"bw_spike_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(BASE, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    yield name
    with psycopg.connect(BASE, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name LIKE %s AND pid <> pg_backend_pid()",
            (f"{name}%",),
        )
        conn.execute(f'DROP SCHEMA "{name}" CASCADE')


def dsn(schema: str, who: str) -> str:
    return spike.conninfo(BASE, schema, f"{schema}-{who}")


def run(schema: str, scenario: Callable[[Any], Awaitable[None]]) -> None:
    """Run `scenario(app)` with the spike's schema installed in `schema`."""

    async def main() -> None:
        app = spike.make_app(dsn(schema, "test"))
        async with app.open_async():
            await spike.install(app)
            await scenario(app)

    asyncio.run(main())


async def rows(app: Any, query: str, **params: Any) -> list[dict[str, Any]]:
    return list(await app.connector.execute_query_all_async(query, **params))


async def wait_for(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.2)


def overlaps(crawls: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Pairs of crawls of one source that ran at the same time."""
    found = []
    for a in crawls:
        for b in crawls:
            if a["id"] < b["id"] and a["source_id"] == b["source_id"]:
                a_end = a["finished_at"] or a["started_at"]
                if b["started_at"] < a_end:
                    found.append((a["id"], b["id"]))
    return found


def test_at_most_one_waiting_and_one_running_job_per_source(schema: str) -> None:
    async def scenario(app: Any) -> None:
        assert await spike.defer_crawl(app, "alpha", 1) is not None
        assert await spike.defer_crawl(app, "alpha", 2) is None  # one is already waiting
        assert await spike.defer_crawl(app, "beta", 1) is not None
        waiting = await rows(
            app, "SELECT queueing_lock FROM procrastinate_jobs WHERE status='todo'"
        )
        assert sorted(r["queueing_lock"] for r in waiting) == ["alpha", "beta"]

        stop = asyncio.Event()
        workers = [
            asyncio.create_task(spike.run_worker_forever(spike.make_app(dsn(schema, n)), n, stop))
            for n in ("w1", "w2")
        ]
        try:
            # While alpha runs one more may wait; the lock keeps it from running alongside.
            await wait_for(lambda: rows(app, "SELECT 1 FROM spike_crawls WHERE source_id='alpha'"),
                           30, "alpha running")
            for timestamp in range(3, 9):
                await spike.defer_crawl(app, "alpha", timestamp)
                await asyncio.sleep(0.1)

            async def drained() -> bool:
                return not await rows(
                    app, "SELECT 1 FROM procrastinate_jobs WHERE status IN ('todo','doing')"
                )

            await wait_for(drained, 60, "the queue drained")
        finally:
            stop.set()
            await asyncio.gather(*workers)
        crawls = await rows(app, "SELECT * FROM spike_crawls ORDER BY id")
        assert len([c for c in crawls if c["source_id"] == "alpha"]) >= 2
        assert overlaps(crawls) == []
        assert all(c["finished_at"] for c in crawls)
    run(schema, scenario)



def test_two_workers_enqueueing_one_tick_defer_each_source_once(schema: str) -> None:
    async def scenario(app: Any) -> None:
        sources = [f"s{i}" for i in range(12)]
        apps = [spike.make_app(dsn(schema, f"enqueuer{n}")) for n in (1, 2)]
        now = time.time()
        for each in apps:
            spike.register_schedules(each, [(s, "* * * * *") for s in sources])
        async with apps[0].open_async(), apps[1].open_async():
            deferrers = [PeriodicDeferrer(each.periodic_registry) for each in apps]
            for _ in range(3):  # both at once, three times over, for the same tick
                await asyncio.gather(
                    *(d.defer_jobs(d.get_previous_tasks(at=now)) for d in deferrers)
                )
        jobs = await rows(app, "SELECT queueing_lock, args FROM procrastinate_jobs")
        assert sorted(j["queueing_lock"] for j in jobs) == sorted(sources)
        assert len({j["args"]["timestamp"] for j in jobs}) == 1
    run(schema, scenario)



def test_a_sigkilled_workers_jobs_are_retried_or_failed_when_superseded(schema: str) -> None:
    async def scenario(app: Any) -> None:
        worker = subprocess.Popen(
            [sys.executable, "-m", "spikes.procrastinate_queue", "worker", dsn(schema, "victim"),
             "victim"],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            await spike.defer_crawl(app, "hang-a", 1)
            await spike.defer_crawl(app, "hang-b", 1)
            await wait_for(
                lambda: rows(app, "SELECT 1 FROM procrastinate_jobs WHERE status='doing'"
                                  " HAVING count(*) = 2"), 60, "both jobs running in the victim")
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(10)
        finally:
            if worker.poll() is None:
                worker.kill()
        # While hang-a's job is stuck in 'doing', the next tick of hang-a is enqueued.
        waiting = await spike.defer_crawl(app, "hang-a", 2)
        assert waiting is not None
        await asyncio.sleep(spike.STALLED_AFTER + 1)
        retried, failed = await spike.retry_stalled(app, spike.STALLED_AFTER)
        states = {
            r["queueing_lock"]: (r["id"], r["status"])
            for r in await rows(app, "SELECT id, queueing_lock, status FROM procrastinate_jobs"
                                     " WHERE status <> 'todo' OR id = %(id)s", id=waiting)
        }
        assert len(retried) == 1 and len(failed) == 1
        b_id = next(r["id"] for r in await rows(
            app, "SELECT id FROM procrastinate_jobs WHERE queueing_lock='hang-b'"))
        assert retried == [b_id]  # hang-b went back to the queue
        statuses = await rows(app, "SELECT id, queueing_lock, status::text AS status"
                                   " FROM procrastinate_jobs ORDER BY id")
        by_id = {r["id"]: r["status"] for r in statuses}
        assert by_id[failed[0]] == "failed"  # the superseded hang-a job
        assert by_id[waiting] == "todo" and by_id[b_id] == "todo"
        assert states  # the queue holds no 'doing' job of a dead worker any more
        assert not [r for r in statuses if r["status"] == "doing"]
    run(schema, scenario)



class PgProxy:
    """A TCP relay to the PostgreSQL server that can go down and come back on the same
    port: a server restart as the workers see it, without touching the shared server."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.server: asyncio.Server | None = None
        self.links: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self.relay, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self.links |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    async def outage(self, seconds: float) -> None:
        assert self.server is not None
        self.server.close()
        for link in list(self.links):
            link.transport.abort()
        self.links.clear()
        await asyncio.sleep(seconds)
        await self.start()


def test_a_worker_reconnects_after_its_connections_are_killed(schema: str) -> None:
    async def scenario(app: Any) -> None:
        async def crawled(source_id: str) -> bool:
            return bool(await rows(
                app, "SELECT 1 FROM spike_crawls WHERE source_id = %(s)s"
                     " AND finished_at IS NOT NULL", s=source_id))

        from urllib.parse import urlsplit

        target = urlsplit(BASE)
        proxy = PgProxy(target.hostname or "127.0.0.1", target.port or 5432)
        await proxy.start()
        proxied = dsn(schema, "survivor").replace(
            f"@{target.hostname}:{target.port}", f"@127.0.0.1:{proxy.port}")
        stop, restarts = asyncio.Event(), []
        worker = asyncio.create_task(
            spike.run_worker_forever(spike.make_app(proxied), "survivor", stop, restarts)
        )
        try:
            await spike.defer_crawl(app, "before", 1)
            await wait_for(lambda: crawled("before"), 30, "a first crawl")
            # 1. Its connections killed by the server: the pool replaces them.
            with psycopg.connect(BASE, autocommit=True) as conn:
                killed = conn.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE application_name = %s", (f"{schema}-survivor",)).fetchone()
            assert killed and killed[0] >= 1
            await spike.defer_crawl(app, "after-kill", 1)
            await wait_for(lambda: crawled("after-kill"), 60, "a crawl after the kill")
            # 2. The server unreachable for longer than the pool waits (a restart).
            await proxy.outage(8.0)
            await spike.defer_crawl(app, "after-outage", 1)
            await wait_for(lambda: crawled("after-outage"), 90, "a crawl after the outage")
        finally:
            stop.set()
            await asyncio.wait_for(worker, 30)
        assert restarts, "the outage stopped the procrastinate worker; the loop started it again"
    run(schema, scenario)
