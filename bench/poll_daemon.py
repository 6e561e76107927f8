"""`bench_poll.py --mode daemon`: a real `bulletins daemon` watching quiet sources due
every minute, measured for whole minutes.

The daemon (and, under it, its crawl workers and their writers) is a child of the
bench, so `TreeMeter` counts all of their CPU. Its config's sources are all
``* * * * *`` (cron) with no jitter. After a warm-up (the
catch-up crawl of every source at start, which also starts the workers), the
bench waits for the next minute, then measures `minutes` whole minutes:

- polls on time: for each minute tick in the window and each source, a run that
  started within that minute (due = sources x ticks);
- the delay of each such run after its tick (mean and worst);
- CPU-s per poll: the CPU of the daemon's process tree over the window divided
  by the runs started in it (each must be quiet: 'ok', 3 requests, nothing new).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from poll_meter import Reading, TreeMeter

WARMUP_LIMIT = 300.0


@dataclass
class DaemonReport:
    due: int
    on_time: int
    delays: list[float]
    runs: int
    verdicts: Counter[str]
    before: Reading
    after: Reading
    wall: float
    memory: dict[str, tuple[int, int]] = field(default_factory=dict)


def start_daemon(config: Path, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "bulletins.cli", "--config", str(config),
               "--log-level", "INFO", "--log-format", "json", "daemon"]
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT)


def _runs(db_url: str, since: datetime) -> list[tuple[str, datetime, str, int, int, str | None]]:
    from sqlalchemy import select

    from storage.db import Database
    from storage.models import CrawlRun

    db = Database(db_url)
    with db.session() as session:
        rows = session.execute(
            select(CrawlRun.source_id, CrawlRun.started_at, CrawlRun.status, CrawlRun.requests,
                   CrawlRun.new_documents, CrawlRun.reason).where(CrawlRun.started_at >= since)
        ).all()
    db.dispose()
    return [(r[0], r[1].replace(tzinfo=UTC) if r[1].tzinfo is None else r[1], r[2], r[3], r[4],
             r[5]) for r in rows]


def measure_daemon(config: Path, db_url: str, sources: list[str], minutes: int,
                   meter: TreeMeter, log: Path) -> DaemonReport:
    daemon = start_daemon(config, log)
    try:
        started = datetime.now(UTC)
        deadline = time.monotonic() + WARMUP_LIMIT
        while {r[0] for r in _runs(db_url, started - timedelta(seconds=5))
               if r[2] != "running"} < set(sources):
            if daemon.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the daemon's warm-up failed; see {log}")
            time.sleep(1)
        print(f"  warm-up: every source crawled once, {datetime.now(UTC) - started}", flush=True)
        now = datetime.now(UTC)
        first_tick = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
        time.sleep((first_tick - datetime.now(UTC)).total_seconds())
        before, clock = meter.read(), time.monotonic()
        end = first_tick + timedelta(minutes=minutes)
        time.sleep(max(0.0, (end - datetime.now(UTC)).total_seconds()))
        after, wall = meter.read(), time.monotonic() - clock
        memory = meter.rss_by_name()
    finally:
        daemon.terminate()
        daemon.wait(120)
    rows = [r for r in _runs(db_url, first_tick) if r[1] < end]
    verdicts: Counter[str] = Counter()
    for _sid, _at, status, requests, new, reason in rows:
        quiet = status == "ok" and requests == 3 and new == 0
        verdicts["quiet ok (3 requests)" if quiet else f"{status}: {reason}"] += 1
    delays: list[float] = []
    for minute in range(minutes):
        tick = first_tick + timedelta(minutes=minute)
        for source in sources:
            starts = [at for sid, at, *_ in rows
                      if sid == source and tick <= at < tick + timedelta(minutes=1)]
            if starts:
                delays.append((min(starts) - tick).total_seconds())
    return DaemonReport(len(sources) * minutes, len(delays), delays, len(rows), verdicts,
                        before, after, wall, memory)


def print_daemon_report(report: DaemonReport, sources: int, minutes: int) -> None:
    cpu = report.after.cpu - report.before.cpu
    per_poll = cpu / report.runs if report.runs else float("nan")
    delays = sorted(report.delays)
    print(f"sources / minutes:          {sources} every minute / {minutes} measured")
    print(f"polls on time:              {report.on_time} of {report.due} due"
          f" (a run started within its minute)")
    if delays:
        print(f"delay after the tick:       mean {sum(delays) / len(delays):.1f} s,"
              f" median {delays[len(delays) // 2]:.1f} s, worst {delays[-1]:.1f} s")
    print(f"runs in the window:         {report.runs}: {json.dumps(dict(report.verdicts))}")
    print(f"CPU, daemon + workers:      {cpu:.2f} s over {report.wall:.0f} s ="
          f" {per_poll:.3f} CPU-s per poll (target <= 0.1)")
    print(f"memory at the end:          {report.after.rss / 2**20:.0f} MB resident"
          f" in {report.after.processes} process(es)")
    for name, (rss, unique) in report.memory.items():
        print(f"    {rss / 2**20:6.0f} MB resident {unique / 2**20:6.0f} MB unique  {name}")
