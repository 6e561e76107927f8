"""Browser benchmark (issue 6): the same replica pages three ways, in one run.

Prints pages per second of a whole crawl (listing pages and articles, parsed and
stored) of the replica's bench site

- over plain HTTP (``render: never``),
- through Chromium (``render: always``),
- behind the 加速乐 challenge (``/bench-jsl/``) with ``render: auto``: the browser
  passes the challenge once and its cookies carry plain HTTP through the rest
  (target >= 0.5 of the plain-HTTP rate),

and the browser's peak memory while it renders with at most 4 pages open (the sum
of the resident memory of the Chromium process tree, sampled with psutil; target
< 600 MB). Only the replica on 127.0.0.1 is contacted.

    python bench/bench_browser.py [--articles 500]
"""

from __future__ import annotations

import argparse
import contextlib
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawlers.browser import chromium_missing, chromium_rss  # noqa: E402
from replica.process import start_replica_process  # noqa: E402

MAX_PAGES = 4
FAST = {
    "download_timeout": 30,
    "retry_times": 0,
    "download_delay": 0,
    "autothrottle": False,
    "concurrency_per_site": 8,
}


def bench_source(
    url: str, articles: int, *, render: str, prefix: str = "/bench/"
) -> dict[str, Any]:
    from replica import sources_config

    source = next(
        s for s in sources_config(url, bench_articles=articles) if s["id"] == "replica-bench"
    )
    source["start_urls"] = [f"{url}{prefix}index.html"]
    source["render"] = render
    source["list"] = {**source["list"], "max_pages": articles // 20 + 2, "min_pages": 1}
    return source


def crawl(tmp: Path, name: str, source: dict[str, Any]) -> dict[str, Any]:
    """One crawl in a child process; its pages, seconds and the browser's peak memory."""
    db_url = f"sqlite:///{tmp}/{name}.db"
    config = tmp / f"{name}.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "database": db_url,
                "builtin_sources": False,
                "crawl": FAST,
                "browser": {"max_pages": MAX_PAGES, "timeout": 30},
                "sources": [source],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "bulletins.cli", "--config", str(config), "crawl", "--json"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    peak = 0
    while child.poll() is None:
        with contextlib.suppress(psutil.Error):
            peak = max(peak, chromium_rss(child.pid))
        time.sleep(0.05)
    out = child.stdout.read() if child.stdout else ""
    run = json.loads(out)["runs"][0]
    if run["status"] != "ok":
        raise SystemExit(f"the {name} crawl did not finish well: {run['status']}: {run['reason']}")
    row = run_row(db_url, run["run_id"])
    return {**row, "used_browser": run["used_browser"], "peak": peak}


def run_row(db_url: str, run_id: int) -> dict[str, Any]:
    from storage.db import Database
    from storage.models import CrawlRun

    db = Database(db_url)
    with db.session() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None and run.finished_at is not None
        row = {
            "seconds": (run.finished_at - run.started_at).total_seconds(),
            "pages": run.listing_pages + run.articles_fetched,
            "documents": run.new_documents,
        }
    db.dispose()
    return row


def line(label: str, result: dict[str, Any]) -> str:
    rate = result["pages"] / result["seconds"]
    return (
        f"{label:<28}{result['pages']} pages in {result['seconds']:.1f} s = {rate:.1f} pages/s"
        f" ({result['documents']} documents stored)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=500)
    args = parser.parse_args()
    missing = chromium_missing()
    if missing:
        print(f"browser bench skipped: {missing}")
        return
    replica, url = start_replica_process(args.articles)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            plain = crawl(folder, "plain", bench_source(url, args.articles, render="never"))
            browser = crawl(folder, "browser", bench_source(url, args.articles, render="always"))
            challenge = crawl(
                folder,
                "challenge",
                bench_source(url, args.articles, render="auto", prefix="/bench-jsl/"),
            )
    finally:
        replica.terminate()
        replica.wait(10)

    plain_rate = plain["pages"] / plain["seconds"]
    browser_rate = browser["pages"] / browser["seconds"]
    challenge_rate = challenge["pages"] / challenge["seconds"]
    print(f"articles in replica:        {args.articles} (the same pages in each crawl)")
    print(line("plain HTTP:", plain))
    print(
        line(f"through the browser ({MAX_PAGES}):", browser) + f"  {browser_rate / plain_rate:.2f}x"
    )
    print(
        line("challenge site, auto:", challenge)
        + f"  {challenge_rate / plain_rate:.2f} of plain (target >= 0.5)"
    )
    print(f"  used_browser: {challenge['used_browser']}")
    print(
        f"browser peak memory:        {browser['peak'] / 2**20:.0f} MB with at most {MAX_PAGES}"
        " pages open (sum RSS of the Chromium processes; target < 600 MB)"
    )


if __name__ == "__main__":
    # SIGTERM as an exit, so the finally blocks stop the daemons and servers we started
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
