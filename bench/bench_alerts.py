"""Alert delivery benchmark: signed alerts delivered per second to a local receiver.

Enqueues N document alerts (documents with figures, through the outbox, as the
crawl does) in a fresh database, then runs `deliver_pending` against a receiver
on 127.0.0.1 that runs in its own process (so it does not share our GIL) and
answers 200 at once, keeping connections alive. Prints the enqueue rate, the
delivery rate (target >= 200 alerts/s) and the receiver's tally (every alert
once). With --verify the receiver also checks each signature with the
independent `standardwebhooks` package.

    python bench/bench_alerts.py [--alerts 2000] [--workers 16] [--batch 100]
                                 [--db URL] [--latency 0.0] [--verify]
"""

from __future__ import annotations

import argparse
import base64
import multiprocessing as mp
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SECRET = "whsec_" + base64.b64encode(b"bench-secret-bulletin-watch-000000").decode()
TARGET = 200.0


def _receiver(port: Any, ready: Any, count: Any, bad: Any, latency: float, verify: bool) -> None:
    checker = None
    if verify:
        from standardwebhooks.webhooks import Webhook

        checker = Webhook(SECRET)
    seen: set[str] = set()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # no 40 ms delayed-ACK stall between header and body

        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            if checker is not None:
                try:
                    checker.verify(body, headers)
                except Exception:
                    with bad.get_lock():
                        bad.value += 1
            if latency:
                time.sleep(latency)
            with count.get_lock():
                if headers.get("webhook-id") not in seen:
                    seen.add(headers.get("webhook-id", ""))
                    count.value += 1
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port.value = server.server_address[1]
    ready.set()
    server.serve_forever()


@contextmanager
def scratch_database(url: str | None, tmp: Path) -> Iterator[str]:
    """A fresh SQLite file, or a schema of its own in the PostgreSQL database, dropped after."""
    if not url:
        yield f"sqlite:///{tmp / 'bench.db'}"
        return
    from sqlalchemy import create_engine, text

    from storage.db import normalize_url

    if not url.startswith(("postgres", "postgresql")):
        yield url
        return
    schema = f"bench_alerts_{os.urandom(4).hex()}"
    admin = create_engine(normalize_url(url))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--alerts", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--latency", type=float, default=0.0, help="receiver delay (s)")
    parser.add_argument("--verify", action="store_true", help="receiver verifies signatures")
    args = parser.parse_args()

    from alerts.config import WebhookConfig
    from alerts.delivery import deliver_pending
    from alerts.outbox import enqueue_document_alerts
    from storage import articles, repository
    from storage.db import Database

    ctx = mp.get_context("spawn")
    port, ready = ctx.Value("i", 0), ctx.Event()
    count, bad = ctx.Value("i", 0), ctx.Value("i", 0)
    server = ctx.Process(
        target=_receiver, args=(port, ready, count, bad, args.latency, args.verify), daemon=True
    )
    server.start()
    ready.wait(10)

    with tempfile.TemporaryDirectory() as tmp, scratch_database(args.db, Path(tmp)) as url:
        db = Database(url)
        hooks = [
            WebhookConfig.model_validate(
                {
                    "id": "bench",
                    "url": f"http://127.0.0.1:{port.value}/hook",
                    "secret": SECRET,
                    "allow_private_network": True,
                    "timeout": 10,
                }
            )
        ]
        figure = {
            "text": "冻结涉案资金约27亿元",
            "start": 12,
            "end": 23,
            "value": 2700000000,
            "unit": "CNY",
            "qualifier": "about",
            "metric": "funds_seized_frozen",
            "topic": "gambling",
        }
        run = os.urandom(4).hex()
        started = time.perf_counter()
        with db.session() as session, session.begin():
            repository.upsert_source(session, {"id": "bench", "name": "bench"})
            for i in range(args.alerts):
                stored = articles.store_article(
                    session,
                    source_id="bench",
                    url=f"https://example.gov.cn/{run}/{i}.html",
                    title=f"通报 {i}",
                    published_at=datetime(2024, 1, 1, tzinfo=UTC),
                    language="zh",
                    text=f"第{i}号通报:冻结涉案资金约27亿元。",
                    content_hash=f"{run}{i:056d}",
                )
                figures = articles.store_figures(session, stored.document, [figure], 1)
                enqueue_document_alerts(session, stored.document, figures, hooks)
        enqueue_s = time.perf_counter() - started

        started = time.perf_counter()
        report = deliver_pending(db, hooks, batch=args.batch, workers=args.workers)
        deliver_s = time.perf_counter() - started
        db.dispose()

    rate = report.delivered / deliver_s if deliver_s else 0.0
    print(f"database            {'sqlite (temp file)' if not args.db else args.db.split(':')[0]}")
    print(
        f"alerts enqueued     {args.alerts} in {enqueue_s:.2f}s "
        f"({args.alerts / enqueue_s:,.0f} documents+alerts/s)"
    )
    print(
        f"alerts delivered    {report.delivered} in {deliver_s:.2f}s "
        f"(workers {args.workers}, batch {args.batch}, receiver latency {args.latency}s)"
    )
    print(
        f"delivery rate       {rate:,.0f} alerts/s (target >= {TARGET:.0f}) "
        f"{'OK' if rate >= TARGET else 'BELOW TARGET'}"
    )
    print(
        f"receiver tally      {count.value} distinct ids"
        + (f", {bad.value} bad signatures" if args.verify else "")
    )
    print(f"failed attempts     {report.failed}")
    server.terminate()
    if report.failed or count.value != args.alerts or bad.value:
        sys.exit(1)


if __name__ == "__main__":
    main()
