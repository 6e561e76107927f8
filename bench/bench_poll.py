"""Poll benchmark (issue 16): the CPU a quiet poll costs, and how many one core makes.

N sources (default 40) on replica servers bound to several loopback addresses
(127.0.10.K, `--hosts`), each seeded so that a poll finds nothing new: robots.txt
and two listing pages answered 304. Every source is polled `--rounds` times, as
the daemon would (a thread per due crawl, at most `--concurrency` at once), by:

- ``--mode daemon``: a real ``bulletins daemon`` with every source due every
  minute (real cron), measured for `--minutes` whole minutes: polls made on time
  and CPU-s per poll of the daemon and its workers (see `poll_daemon`);
- ``--mode warm``: the warm pool (`scheduler.pool.WarmPool`): long-lived crawl
  workers, each running many crawls in one reactor and one writer for all of them;
- ``--mode fork``: a pre-imported fork server forking a child per crawl
  (`forkserver_poll`, measurement only).

CPU is counted over every process involved (this process as the launcher or pool,
the crawl processes or workers, their writers), not the replica; see `poll_meter`.
Printed: CPU-s per quiet poll, polls per minute one core could make (60 / CPU-s),
the wall time, the resident memory of the processes at the end, and the runs'
statuses (each poll must be 'ok' with 3 requests and nothing new).

(The former ``--mode child``, a ``bulletins crawl`` process per poll, went with
`scheduler.child`; its figures are in docs/design-warm-workers.md.)

    python bench/bench_poll.py --mode daemon [--sources 40] [--hosts 8] [--minutes 3]
    python bench/bench_poll.py [--mode warm|fork] [--sources 40] [--rounds 1]
                               [--hosts 8] [--concurrency 4] [--db URL] [--sample N]
                               [--workers 1] [--crawls-per-worker N] [--max-worker-rss MB]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from poll_daemon import measure_daemon, print_daemon_report
from poll_fleet import seed_quiet, start_fleet, write_config
from poll_meter import TreeMeter

TIME_LIMIT = 120.0


def scrapy_overrides(config: Path) -> dict[str, Any]:
    """The config's `crawl:` section as Scrapy settings, worked out in a throwaway
    process: the pool's process (like the daemon's) never imports Scrapy, so its
    memory figure is its own."""
    code = (
        "import json, sys; from bulletins.config import load_config;"
        " from crawlers.runner import scrapy_overrides;"
        " print(json.dumps(scrapy_overrides(load_config(sys.argv[1]).crawl)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(config)], capture_output=True, text=True, check=True
    )
    return dict(json.loads(out.stdout))


def warm_poller(config: Path, db_url: str, concurrency: int, args: Any) -> tuple[Any, Any]:
    from bulletins.config import load_config
    from scheduler.pool import PoolSettings, WarmPool

    app = load_config(config)
    pool = WarmPool(
        PoolSettings(
            database_url=db_url,
            timezone=app.timezone,
            overrides=scrapy_overrides(config),
            workers=args.workers,
            crawls_per_worker=args.crawls_per_worker,
            max_worker_rss_mb=args.max_worker_rss,
        )
    )
    pool.start()

    def poll(source: Any) -> Any:
        return pool.crawl(source, TIME_LIMIT)

    return poll, pool.close


def fork_poller(config: Path, db_url: str) -> tuple[Any, Any]:
    from forkserver_poll import ForkServerPoller

    from bulletins.config import load_config

    app = load_config(config)
    server = ForkServerPoller(db_url, app.timezone, scrapy_overrides(config))

    def poll(source: Any) -> Any:
        return server.crawl(source, TIME_LIMIT)

    return poll, server.close


def run_round(poll: Callable[[Any], Any], sources: list[Any], concurrency: int) -> list[Any]:
    with ThreadPoolExecutor(concurrency) as executor:
        return list(executor.map(poll, sources))


def last_run_id(db_url: str) -> int:
    from sqlalchemy import func, select

    from storage.db import Database
    from storage.models import CrawlRun

    db = Database(db_url)
    with db.session() as session:
        last = session.scalar(select(func.max(CrawlRun.id)))
    db.dispose()
    return int(last or 0)


def check_runs(db_url: str, after_id: int, polls: int) -> Counter[str]:
    """What the runs recorded since `after_id` say: each must be a quiet poll."""
    from sqlalchemy import select

    from storage.db import Database
    from storage.models import CrawlRun

    db = Database(db_url)
    verdicts: Counter[str] = Counter()
    with db.session() as session:
        for run in session.scalars(select(CrawlRun).where(CrawlRun.id > after_id)):
            quiet = run.status == "ok" and run.requests == 3 and run.new_documents == 0
            verdicts["quiet ok (3 requests)" if quiet else f"{run.status}: {run.reason}"] += 1
    db.dispose()
    missing = polls - sum(verdicts.values())
    if missing:
        verdicts["no run row"] += missing
    return verdicts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=("daemon", "warm", "fork"), default="daemon")
    parser.add_argument("--minutes", type=int, default=3, help="daemon: minutes measured")
    parser.add_argument("--sources", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=1, help="measured rounds (after a warm-up)")
    parser.add_argument(
        "--sample", type=int, default=0, help="poll only N of the sources, spread evenly (0: all)"
    )
    parser.add_argument("--hosts", type=int, default=8, help="loopback addresses to serve on")
    parser.add_argument("--concurrency", type=int, default=4, help="crawls at once")
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--workers", type=int, default=1, help="warm: worker processes")
    parser.add_argument("--crawls-per-worker", type=int, default=2000, help="warm: recycle after")
    parser.add_argument("--max-worker-rss", type=float, default=250.0, help="warm: MB, recycle")
    parser.add_argument("--warmup", type=int, default=None, help="polls before measuring")
    args = parser.parse_args()

    load = os.getloadavg()
    fleet, urls = start_fleet(args.hosts)
    meter = TreeMeter(exclude={fleet.pid})
    try:
        with tempfile.TemporaryDirectory(prefix="bench-poll-") as tmp:
            db_url = args.db or f"sqlite:///{tmp}/poll.db"
            config = Path(tmp) / "poll.yaml"
            entries = write_config(config, db_url, urls, args.sources)
            seed_quiet(db_url, entries)
            from bulletins.config import load_config

            sources = load_config(config).enabled_sources()
            if args.mode == "daemon":
                report = measure_daemon(config, db_url, [s.id for s in sources], args.minutes,
                                        meter, Path(tmp) / "daemon.log")
                print(f"mode:                       daemon (load at start {load[0]:.1f}"
                      f" {load[1]:.1f} {load[2]:.1f}, now {os.getloadavg()[0]:.1f},"
                      f" on {psutil.cpu_count()} cores)")
                print_daemon_report(report, len(sources), args.minutes)
                return
            polled = sources
            if 0 < args.sample < len(sources):
                polled = sources[:: len(sources) // args.sample][: args.sample]
            if args.mode == "fork":
                poll, close = fork_poller(config, db_url)
            else:
                poll, close = warm_poller(config, db_url, args.concurrency, args)
            warmup = args.warmup if args.warmup is not None else min(len(sources), 8)
            try:
                run_round(poll, sources[:warmup], args.concurrency)  # start-up is not a poll
                first_id = last_run_id(db_url)
                before, started = meter.read(), time.monotonic()
                outcomes = []
                previous = before
                for number in range(1, args.rounds + 1):
                    done = run_round(poll, polled, args.concurrency)
                    outcomes += done
                    if args.rounds > 2:
                        now = meter.read()
                        print(f"  round {number}: {len(outcomes)} polls,"
                              f" {(now.cpu - previous.cpu) / len(done):.3f} CPU-s/poll this round,"
                              f" RSS {now.rss / 2**20:.0f} MB in {now.processes} processes",
                              flush=True)
                        previous = now
                after, wall = meter.read(), time.monotonic() - started
                memory = meter.rss_by_name()
            finally:
                close()
            verdicts = check_runs(db_url, first_id, len(outcomes))
    finally:
        fleet.terminate()
        fleet.wait(10)

    polls = len(outcomes)
    cpu = after.cpu - before.cpu
    per_poll = cpu / polls
    print(f"mode:                       {args.mode}")
    print(f"machine load (1/5/15 min):  {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on "
          f"{psutil.cpu_count()} cores")
    print(f"sources / hosts / rounds:   {args.sources} ({len(polled)} polled) / {args.hosts}"
          f" / {args.rounds}"
          f" (concurrency {args.concurrency}, {warmup} warm-up polls not counted)")
    print(f"polls:                      {polls}: {dict(verdicts)}")
    print(f"CPU, all processes:         {cpu:.2f} s = {per_poll:.3f} CPU-s per quiet poll"
          " (target <= 0.1)")
    print(f"polls per minute, one core: {60 / per_poll:.0f}"
          f" (5-minute interval: {300 / per_poll:.0f} sources per core)")
    print(f"wall:                       {wall:.1f} s = {polls / wall * 60:.0f} polls/min"
          f" ({wall / polls * args.concurrency:.2f} s per poll at concurrency"
          f" {args.concurrency})")
    uss = sum(u for _, u in memory.values())
    print(f"memory at the end:          {after.rss / 2**20:.0f} MB resident"
          f" ({uss / 2**20:.0f} MB unique) in {after.processes} process(es)")
    for name, (rss, unique) in memory.items():
        print(f"    {rss / 2**20:6.0f} MB resident {unique / 2**20:6.0f} MB unique  {name}")


if __name__ == "__main__":
    # SIGTERM as an exit, so the finally blocks stop the daemons and servers we started
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
