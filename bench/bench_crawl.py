"""Crawl benchmark (issue 2): the full pipeline against a replica of N articles.

Prints, in one run: pages per second of the full pipeline (parse, clean, hash,
dedupe, store) and of a bare Scrapy spider with the same settings, their
ratio (target >= 0.7), the raw-fetch ceiling of an aiohttp client, the requests
of a re-crawl with nothing new, and the crawl's peak memory (target < 300 MB).

    python bench/bench_crawl.py [--articles 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
import yaml

from replica.process import start_replica_process

ROOT = Path(__file__).resolve().parents[1]
FAST = {
    "download_timeout": 10,
    "retry_times": 0,
    "download_delay": 0,
    "autothrottle": False,
    "concurrency_per_site": 16,
}
SCRAPY_FAST = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "RETRY_ENABLED": False,
    "DOWNLOAD_TIMEOUT": 10,
}


def bench_source(url: str, articles: int) -> dict[str, Any]:
    from replica import sources_config

    sources = sources_config(url, bench_articles=articles)
    source = next(s for s in sources if s["id"] == "replica-bench")
    pages = articles // 20 + 2
    source["list"] = {**source["list"], "max_pages": pages, "min_pages": 1}
    return source


def peak_rss(proc: subprocess.Popen[str]) -> tuple[str, int]:
    """Wait for `proc`, sampling the resident memory of it and its children (the
    database writer); return (stdout, peak bytes)."""
    peak = 0
    handle = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            tree = [handle, *handle.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.05)
    out = proc.stdout.read() if proc.stdout else ""
    return out, peak


def full_crawl(config: Path) -> tuple[dict[str, Any], int, float]:
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bulletins.cli", "--config", str(config), "crawl", "--json"],
        stdout=subprocess.PIPE,
        text=True,
    )
    out, peak = peak_rss(proc)
    return json.loads(out), peak, time.monotonic() - started


def run_seconds(db_url: str, run_id: int) -> float:
    from storage.db import Database
    from storage.models import CrawlRun

    db = Database(db_url)
    with db.session() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None and run.finished_at is not None
        seconds = (run.finished_at - run.started_at).total_seconds()
    db.dispose()
    return seconds


def bare_crawl(source: dict[str, Any]) -> dict[str, Any]:
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "bare_spider.py"),
            json.dumps(source),
            json.dumps(SCRAPY_FAST),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


async def _fetch_all(urls: list[str]) -> None:
    import aiohttp

    sem = asyncio.Semaphore(16)
    async with aiohttp.ClientSession() as session:

        async def one(url: str) -> None:
            async with sem, session.get(url) as response:
                await response.read()

        await asyncio.gather(*(one(u) for u in urls))


def raw_ceiling(db_url: str, listing_urls: list[str]) -> tuple[int, float]:
    from sqlalchemy import select

    from storage.db import Database
    from storage.models import Sighting

    db = Database(db_url)
    with db.session() as session:
        urls = list(session.scalars(select(Sighting.url)))
    db.dispose()
    urls += listing_urls
    started = time.monotonic()
    asyncio.run(_fetch_all(urls))
    return len(urls), time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=5000)
    args = parser.parse_args()
    replica, url = start_replica_process(args.articles)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db_url = f"sqlite:///{tmp}/bench.db"
            source = bench_source(url, args.articles)
            config = Path(tmp) / "bench.yaml"
            config.write_text(
                yaml.safe_dump(
                    {
                        "database": db_url,
                        "builtin_sources": False,
                        "crawl": FAST,
                        "sources": [source],
                    },
                    allow_unicode=True,
                ),
                encoding="utf-8",
            )
            first, peak, wall = full_crawl(config)
            run = first["runs"][0]
            seconds = run_seconds(db_url, run["run_id"])
            pages = run["requests"] - 1  # robots.txt
            second, _, _ = full_crawl(config)
            recrawl = second["runs"][0]
            bare = bare_crawl(source)
            listing_pages = pages - run["new_documents"] - len(run["errors"])
            from urllib.parse import urljoin

            listing_urls = [source["start_urls"][0]] + [
                urljoin(source["start_urls"][0], f"index_{n}.html")
                for n in range(1, max(listing_pages, 1))
            ]
            raw_count, raw_seconds = raw_ceiling(db_url, listing_urls)
    finally:
        replica.terminate()
        replica.wait(10)

    full_rate = pages / seconds
    bare_rate = bare["pages"] / bare["seconds"]
    print(f"articles in replica:         {args.articles}")
    print(
        f"full pipeline:               {pages} pages in {seconds:.1f}s = {full_rate:.0f} pages/s"
        f" (stored {run['new_documents']} documents; process wall {wall:.1f}s)"
    )
    print(
        f"bare Scrapy spider:          {bare['pages']} pages in {bare['seconds']:.1f}s"
        f" = {bare_rate:.0f} pages/s"
    )
    print(f"ratio full / bare:           {full_rate / bare_rate:.2f}  (target >= 0.7)")
    print(f"raw fetch ceiling (aiohttp): {raw_count / raw_seconds:.0f} pages/s")
    print(
        f"re-crawl, nothing new:       {recrawl['requests']} requests"
        f" ({recrawl['new_documents']} new; robots.txt + listing pages up to the first all-known)"
    )
    print(f"peak memory of the crawl:    {peak / 2**20:.0f} MB, crawl and writer processes"
          " (target < 300 MB)")


if __name__ == "__main__":
    # SIGTERM as an exit, so the finally blocks stop the daemons and servers we started
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
