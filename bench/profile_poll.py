"""Where a warm quiet poll's CPU goes: py-spy samples a warm worker during N quiet polls.

    python bench/profile_poll.py [--sources 40] [--rounds 10] [--rate 250]

Needs `py-spy` (pip install py-spy; it attaches to the worker by pid, as root or
with ptrace allowed). Each on-CPU sample is put in the first category, from the
stack's root down, whose pattern one of its frames matches; the table shows each
category's share and its milliseconds per poll.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from poll_fleet import seed_quiet, start_fleet, write_config

CATEGORIES: list[tuple[str, tuple[str, ...]]] = [
    ("order in, report out (protocol, summary row)", ("read_orders", "summary (crawlers/warm",
                                                      "send (crawlers/warm", "_rss")),
    ("Crawler construction (settings, components)", (
        "create_crawler", "_apply_settings", "_create_engine", "build_from_crawler",
        "__init__ (scrapy/crawler",
    )),
    ("run row: open (upsert source, abandoned runs, start)", ("spider_opened (crawlers/ext",)),
    ("run row: close (finish_run)", ("spider_closed (crawlers/ext",)),
    ("spider start: known URLs, failures, validators", ("start (crawlers/spiders",)),
    ("parse listing (304)", ("parse_listing",)),
    ("robots.txt", ("robotstxt",)),
    ("HTTP download (Twisted, HTTP/1.1 client)", ("http11", "twisted/web", "download_request")),
    ("engine, scheduler, signals, stats", ("scrapy/core", "scrapy/signalmanager",
                                           "scrapy/statscollectors", "pydispatch")),
    ("logging", ("logging/__init__",)),
    ("other Twisted/asyncio loop", ("twisted", "asyncio")),
]


IDLE = ("select (selectors", "poll (selectors", "wait (threading", "_wait_for_tstate_lock",
        "readline", "recv_into", "get (multiprocessing/queues", "_recv", "read (")


def categorize(stack: str) -> str:
    frames = stack.split(";")
    if any(p in frames[-1] for p in IDLE):
        return "waiting (epoll, queue, pipe): not CPU"
    for name, patterns in CATEGORIES[:-1]:
        for frame in frames:
            if any(p in frame for p in patterns):
                return name
    generic, patterns = CATEGORIES[-1]
    return generic if any(p in f for f in frames for p in patterns) else "other"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--rate", type=int, default=250, help="samples per second")
    parser.add_argument("--detail", type=int, default=0, help="show N top frames per category")
    args = parser.parse_args()
    from bulletins.config import load_config
    from crawlers.runner import scrapy_overrides
    from scheduler.pool import PoolSettings, WarmPool

    fleet, urls = start_fleet(4)
    try:
        with tempfile.TemporaryDirectory(prefix="profile-poll-") as tmp:
            db_url = f"sqlite:///{tmp}/poll.db"
            config = Path(tmp) / "poll.yaml"
            seed_quiet(db_url, write_config(config, db_url, urls, args.sources))
            app = load_config(config)
            sources = app.enabled_sources()
            pool = WarmPool(PoolSettings(database_url=db_url, timezone=app.timezone,
                                         overrides=scrapy_overrides(app.crawl))).start()
            try:
                with ThreadPoolExecutor(4) as executor:
                    list(executor.map(lambda s: pool.crawl(s, 60), sources[:8]))
                    [worker] = pool.workers()
                    cpu_before = _cpu(worker.pid)
                    out = Path(tmp) / "stacks.txt"
                    spy = subprocess.Popen(
                        ["py-spy", "record", "--pid", str(worker.pid), "--rate", str(args.rate),
                         "--format", "raw", "--output", str(out), "--nonblocking"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    )
                    for _ in range(args.rounds):
                        list(executor.map(lambda s: pool.crawl(s, 60), sources))
                    cpu = _cpu(worker.pid) - cpu_before
                    spy.send_signal(2)
                    spy.wait(60)
            finally:
                pool.close()
            stacks = out.read_text().splitlines()
    finally:
        fleet.terminate()
        fleet.wait(10)

    polls = args.sources * args.rounds
    samples: Counter[str] = Counter()
    frames: dict[str, Counter[str]] = {}
    for line in stacks:
        stack, _, count = line.rpartition(" ")
        name = categorize(stack)
        samples[name] += int(count)
        for frame in set(stack.split(";")):
            frames.setdefault(name, Counter())[frame] += int(count)
    idle = samples.pop("waiting (epoll, queue, pipe): not CPU", 0)
    total = sum(samples.values())
    # On a loaded machine a runnable thread waiting for a core is sampled as active:
    # the shares are what the samples say, the milliseconds the worker's real CPU split
    # by those shares.
    print(f"{polls} quiet polls; worker CPU {cpu:.2f} s = {cpu / polls * 1000:.1f} ms per poll;"
          f" {total} active samples ({idle} waiting samples left out)")
    for name, count in samples.most_common():
        share = count / total
        print(f"  {share * 100:5.1f} %  {share * cpu / polls * 1000:5.1f} ms/poll  {name}")
        for frame, n in frames[name].most_common(args.detail):
            print(f"        {n / count * 100:5.1f} %  {frame[:110]}")


def _cpu(pid: int | None) -> float:
    import psutil

    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


if __name__ == "__main__":
    main()
