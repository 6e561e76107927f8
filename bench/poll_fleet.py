"""Quiet sources for `bench_poll.py`: replica servers on several loopback addresses,
N sources spread over them, and their listing validators seeded so every poll is quiet.

    python bench/poll_fleet.py --hosts 8     # serve; prints REPLICA_URLS=url,url,...

Each host 127.0.10.K serves the replica's bench site (40 articles, two listing
pages). Source ``poll-i`` polls ``/bench/index.html?s=i`` then ``index_1.html?s=i``
(numbered pages, `min_pages: 2`): the query keeps every source's listing URLs its
own (the replica ignores it). After `seed_quiet` stored each page's ETag and
Last-Modified, a poll is three requests: robots.txt, then two conditional GETs
answered 304, and nothing is stored but the run's row.
"""

from __future__ import annotations

import argparse
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import yaml

HOST_PREFIX = "127.0.10."
ARTICLES = 40  # two listing pages of 20


def serve(hosts: int) -> int:
    from replica.server import ReplicaServer

    servers = [
        ReplicaServer(f"{HOST_PREFIX}{i}", 0, bench_articles=ARTICLES).start()
        for i in range(1, hosts + 1)
    ]
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    print("REPLICA_URLS=" + ",".join(s.url for s in servers), flush=True)
    while not done.wait(0.5):
        pass
    for server in servers:
        server.stop()
    return 0


def start_fleet(hosts: int) -> tuple[subprocess.Popen[str], list[str]]:
    """The fleet process and its base URLs (it runs until terminated)."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--hosts", str(hosts)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.match(r"REPLICA_URLS=(\S+)", line)
    if not match:
        proc.kill()
        raise SystemExit(f"the replica fleet did not start: {line!r}")
    return proc, match.group(1).split(",")


def source_entry(i: int, base_url: str, schedule: str = "* * * * *") -> dict[str, Any]:
    return {
        "id": f"poll-{i}",
        "name": f"Quiet source {i}",
        "schedule": schedule,
        "start_urls": [f"{base_url}/bench/index.html?s={i}"],
        "list": {
            "item": "ul.list li",
            "title": "a::text",
            "date": "span::text",
            "pages": f"index_{{n}}.html?s={i}",
            "pages_from": 0,
            "min_pages": 2,
            "max_pages": 2,
        },
        "article": {"title": "h1::text", "date": "div.info::text", "body": "div.article-body"},
        "render": "never",
    }


def page_urls(entry: dict[str, Any]) -> list[str]:
    first = entry["start_urls"][0]
    return [first, first.replace("index.html", "index_1.html")]


def write_config(path: Path, db_url: str, urls: list[str], sources: int) -> list[dict[str, Any]]:
    entries = [source_entry(i, urls[i % len(urls)]) for i in range(sources)]
    config = {
        "database": db_url,
        "builtin_sources": False,
        # Polite as in production, except the pause between two requests to one host.
        "crawl": {"download_delay": 0, "autothrottle": False, "retry_times": 0},
        "daemon": {"jitter": 0, "max_concurrent_crawls": 4},
        "sources": entries,
    }
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return entries


def seed_quiet(db_url: str, entries: list[dict[str, Any]]) -> None:
    """Store each listing page's validators as a good earlier poll would have."""
    from storage import repository
    from storage.db import Database

    validators: dict[str, tuple[str | None, str | None]] = {}
    with httpx.Client(timeout=10) as client:
        for entry in entries:
            for url in page_urls(entry):
                key = url.split("?")[0]
                if key not in validators:
                    response = client.get(key)
                    response.raise_for_status()
                    validators[key] = (
                        response.headers.get("ETag"),
                        response.headers.get("Last-Modified"),
                    )
    db = Database(db_url)
    with db.session() as session, session.begin():
        for entry in entries:
            first, second = page_urls(entry)
            repository.upsert_source(session, entry)
            for url, following in ((first, second), (second, None)):
                etag, last_modified = validators[url.split("?")[0]]
                repository.save_listing_page(
                    session,
                    source_id=entry["id"],
                    url=url,
                    etag=etag,
                    last_modified=last_modified,
                    next_url=following,
                    items=20,
                )
    db.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hosts", type=int, default=8)
    sys.exit(serve(parser.parse_args().hosts))
