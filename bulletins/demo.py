"""`bulletins demo`: the whole pipeline against the local replica of bulletin sites.

Starts the replica and a webhook receiver on 127.0.0.1, crawls every replica
site into a demo SQLite database (in a child process, with a progress display),
shows what was stored, then publishes three new releases and crawls again to
show that only those are fetched.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console
from rich.live import Live
from rich.table import Table
from sqlalchemy import func, select

from replica import ReplicaServer, sources_config
from replica.receiver import WebhookReceiver
from storage.db import Database
from storage.models import CrawlRun, Document, Figure, RawPage

DEMO_SECRET = "whsec_ZGVtby1zZWNyZXQtZm9yLWJ1bGxldGluLXdhdGNoLTAxMjM0NQ=="


def write_config(directory: Path, replica_url: str, receiver_url: str, database: str) -> Path:
    config = {
        "database": database,
        "timezone": "Asia/Shanghai",
        "builtin_sources": False,
        "crawl": {
            "download_timeout": 3,
            "retry_times": 0,
            "download_delay": 0,
            "autothrottle": False,
            "concurrency_per_site": 8,
        },
        "sources": sources_config(replica_url),
        "webhooks": [
            {
                "id": "demo-receiver",
                "url": receiver_url,
                "secret": DEMO_SECRET,
                "allow_private_network": True,
                "retry": {"attempts": 3, "first_delay": 1},
            }
        ],
    }
    path = directory / "demo.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _progress_table(db: Database, started: float, label: str) -> Table:
    with db.session() as session:
        documents = session.scalar(select(func.count(Document.id))) or 0
        pages = session.scalar(select(func.count(RawPage.id))) or 0
        figures = session.scalar(select(func.count(Figure.id))) or 0
    table = Table.grid(padding=(0, 2))
    table.add_row(
        f"[bold]{label}[/bold]",
        f"{time.monotonic() - started:5.1f}s",
        f"pages stored: {pages}",
        f"documents: {documents}",
        f"figures: {figures}",
    )
    return table


def crawl_with_progress(console: Console, config: Path, db: Database, label: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "bulletins.cli", "--config", str(config), "crawl", "--json"]
    started = time.monotonic()
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
        with Live(_progress_table(db, started, label), console=console, transient=True) as live:
            while child.poll() is None:
                time.sleep(0.25)
                live.update(_progress_table(db, started, label))
        output = child.stdout.read() if child.stdout else ""
    if child.returncode not in (0, 1):
        raise RuntimeError(f"the crawl exited with status {child.returncode}")
    result: dict[str, Any] = json.loads(output)
    result["seconds"] = time.monotonic() - started
    return result


def show_runs(console: Console, result: dict[str, Any], title: str) -> None:
    table = Table(title=title)
    for column in ("source", "status", "new", "known", "requests", "failed pages"):
        table.add_column(column)
    for run in result["runs"]:
        failed = "\n".join(f"{e['url'].split('/', 3)[-1]}: {e['error']}" for e in run["errors"])
        table.add_row(
            run["source_id"],
            run["status"],
            str(run["new_documents"]),
            str(run["duplicates"]),
            str(run["requests"]),
            failed or "-",
        )
    console.print(table)


def show_documents(console: Console, db: Database, limit: int = 15) -> None:
    with db.session() as session:
        total = session.scalar(select(func.count(Document.id))) or 0
        counts = select(Figure.document_id, func.count(Figure.id)).group_by(Figure.document_id)
        figure_counts: dict[int, int] = {doc_id: n for doc_id, n in session.execute(counts)}
        docs = list(
            session.scalars(
                select(Document).order_by(Document.published_at.desc().nulls_last()).limit(limit)
            )
        )
        table = Table(title=f"Stored releases (newest {min(limit, total)} of {total})")
        for column in ("id", "published", "source", "title", "figures", "seen at"):
            table.add_column(column, overflow="fold")
        for doc in docs:
            table.add_row(
                str(doc.id),
                doc.published_at.date().isoformat() if doc.published_at else "-",
                doc.source_id,
                doc.title[:48],
                str(figure_counts.get(doc.id, 0)),
                str(len(doc.sightings)) + (" URLs" if len(doc.sightings) > 1 else " URL"),
            )
        console.print(table)
        reposted = [d for d in docs if len(d.sightings) > 1]
        best = max(figure_counts, key=lambda k: figure_counts[k], default=None)
        if best is not None:
            best_doc = session.get(Document, best)
            assert best_doc is not None
            figures = session.scalars(select(Figure).where(Figure.document_id == best).limit(8))
            table = Table(title=f"Figures of document {best}: {best_doc.title[:50]}")
            for column in ("metric", "value", "unit", "qualifier", "text"):
                table.add_column(column, overflow="fold")
            for fig in figures:
                table.add_row(fig.metric, f"{fig.value:,.0f}", fig.unit, fig.qualifier, fig.text)
            console.print(table)
        for doc in reposted[:1]:
            console.print(
                f"[bold]One release, {len(doc.sightings)} sightings:[/bold] {doc.title[:50]}"
            )
            for s in doc.sightings:
                console.print(f"  {s.source_id}: {s.url}")


def run_demo(directory: Path, console: Console | None = None) -> int:
    console = console or Console()
    directory.mkdir(parents=True, exist_ok=True)
    db_file = directory / "demo.db"
    for leftover in directory.glob("demo.db*"):
        leftover.unlink()
    database = f"sqlite:///{db_file}"
    with ReplicaServer() as replica:
        receiver = WebhookReceiver().start()
        try:
            config = write_config(directory, replica.url, receiver.url, database)
            console.print(f"Replica bulletin sites at [bold]{replica.url}[/bold]")
            db = Database(database)
            first = crawl_with_progress(console, config, db, "first crawl")
            show_runs(console, first, f"First crawl ({first['seconds']:.1f}s)")
            show_documents(console, db)
            alerts = len(receiver.received)
            console.print(f"Webhook receiver got [bold]{alerts}[/bold] signed alert(s).")

            site = first["runs"][0]["source_id"]
            new_urls = replica.publish(site, 3)
            console.print(f"\nThe replica publishes {len(new_urls)} new release(s) on {site} ...")
            second = crawl_with_progress(console, config, db, "second crawl")
            show_runs(console, second, f"Second crawl ({second['seconds']:.1f}s)")
            console.print(
                f"Webhook receiver now holds [bold]{len(receiver.received)}[/bold] alert(s)."
            )
            stats = db.session()
            with stats:
                runs = stats.scalar(select(func.count(CrawlRun.id)))
            db.dispose()
            console.print(
                f"\nDatabase: {db_file}  ({runs} crawl runs recorded)\n"
                f"Try: bulletins --config {config} documents list\n"
                f"     bulletins --config {config} figures list --json"
            )
            console.print(
                f"Open: bulletins --config {config} serve, then http://127.0.0.1:8000/",
                soft_wrap=True,
            )
        finally:
            receiver.stop()
    return 0
