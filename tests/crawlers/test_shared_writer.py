"""The shared writer (issue 16 prototype): one writer process, many crawls' items.

Runs the real writer process on a real SQLite file: items of two crawls
interleaved, one of them failing to store; each crawl's acknowledgement carries
its own counts, and the other crawl's items are stored.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from typing import Any

import pytest
from sqlalchemy import select

from crawlers.items import ArticleItem, ListingPageItem, PageFailureItem
from crawlers.warm.shared_writer import _CONTEXT, END, STOP, WriterClient, WriterDied, serve
from storage import repository
from storage.db import Database
from storage.models import ListingPage, Sighting

BODY = "公安机关依法侦破电信网络诈骗案件300余起，抓获犯罪嫌疑人120名，冻结涉案资金约5亿元。"


def article(source_id: str, n: int) -> ArticleItem:
    return ArticleItem(
        source_id=source_id,
        url=f"http://127.0.0.1:9/{source_id}/{n}.html",
        title=f"通报 {n}",
        published_at=None,
        language="zh",
        text=f"{BODY}第{n}期。",
        body=f"<html><body><p>{BODY}第{n}期。</p></body></html>".encode(),
        status=200,
    )


def run_writer(url: str, entries: list[tuple[str | None, Any]]) -> dict[str, Any]:
    items, results = _CONTEXT.Queue(), _CONTEXT.Queue()
    for entry in entries:
        items.put(entry)
    process = _CONTEXT.Process(
        target=serve, args=(url, [], items, results, os.getpid(), 50, 0.05), daemon=True
    )
    process.start()
    process.join(120)
    assert process.exitcode == 0
    acks = {}
    for _ in range(sum(1 for _, item in entries if item == END)):
        crawl, result = results.get(timeout=10)
        acks[crawl] = result
    return acks


def test_each_crawl_gets_its_own_counts_and_failures(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    with db.session() as session, session.begin():
        for source_id in ("a", "b"):
            repository.upsert_source(session, {"id": source_id, "name": source_id})
    entries: list[tuple[str | None, Any]] = [
        ("c1", article("a", 1)),
        ("c2", article("b", 7)),
        ("c2", PageFailureItem("no-such-source", "http://127.0.0.1:9/x", "HTTP 500", "http_500")),
        ("c1", article("a", 2)),
        ("c1", ListingPageItem("a", "http://127.0.0.1:9/a/", '"v1"', None, None, 2)),
        ("c1", END),
        ("c2", END),
        (None, STOP),
    ]
    acks = run_writer(sqlite_url, entries)
    assert acks["c1"] == {"counts": {"new": 2}, "failure": None, "failed_pages": []}
    assert acks["c2"]["counts"] == {"new": 1, "store_failures": 1}
    assert acks["c2"]["failure"] is None  # one bad item costs only itself
    # ... and is a failed page of its crawl, with a code
    [failed] = acks["c2"]["failed_pages"]
    assert failed["url"] == "http://127.0.0.1:9/x" and failed["code"] == "store_error"
    assert "FOREIGN KEY" in failed["error"]
    with db.session() as session:
        urls = set(session.scalars(select(Sighting.url)))
        listing = session.get(ListingPage, ("a", "http://127.0.0.1:9/a/"))
    assert urls == {article("a", 1).url, article("a", 2).url, article("b", 7).url}
    assert listing is not None and listing.etag == '"v1"'


def test_a_dead_writer_holds_neither_a_put_nor_the_close(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 11, D4 in the warm worker: the writer is stopped so its pipe and queue fill,
    then killed. A put waiting for room gives up with WriterDied; close() returns, and
    only once the writer's death is reported (no thread is left to log after the test)."""
    client = WriterClient(sqlite_url, [], queue_size=4)
    loop = asyncio.new_event_loop()
    client.start(loop)
    pid = client.process.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    big = article("a", 1)
    big.body = b"<p>" + b"x" * 200_000 + b"</p>"  # one item overflows the pipe
    outcome: dict[str, BaseException] = {}

    def fill() -> None:
        try:
            for _ in range(50):
                client.put("c1", big)
        except BaseException as exc:  # reported below
            outcome["error"] = exc

    putter = threading.Thread(target=fill, daemon=True)
    putter.start()
    end = time.monotonic() + 60
    while not client.items.full() and time.monotonic() < end:
        time.sleep(0.05)  # polling for the full queue
    assert client.items.full()
    os.kill(pid, signal.SIGKILL)

    putter.join(60)
    assert not putter.is_alive(), "a put still waits on a dead writer"
    assert isinstance(outcome.get("error"), WriterDied), outcome
    closer = threading.Thread(target=client.close, daemon=True)
    closer.start()
    closer.join(60)
    assert not closer.is_alive(), "close() still waits on a dead writer's queue"
    assert "the database writer died (exit status -9)" in caplog.text
    assert not any(t.name == "writer-results" for t in threading.enumerate())
    loop.close()


def test_close_leaves_no_thread_behind(sqlite_url: str) -> None:
    """The writer says it stops, so close() ends the thread reading its results at
    once: a thread outliving its client would log into whatever comes next."""
    client = WriterClient(sqlite_url, [])
    loop = asyncio.new_event_loop()
    client.start(loop)
    client.close()
    assert client.process.exitcode == 0
    assert not any(t.name == "writer-results" for t in threading.enumerate())
    loop.close()
