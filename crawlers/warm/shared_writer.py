"""The database writer process: one for all the crawls of a process (a warm worker,
or a `bulletins crawl`).

It hashes, deduplicates,
extracts and writes off the crawling core, in batches of up to `batch_size`
items or `batch_seconds`, each item in its own savepoint. Items arrive tagged
with their crawl's id, in the order the crawls yielded them; a crawl's end
marker comes after its items, so its acknowledgement (its counts, and the
failure if its items could not be written) is sent once all of them are.

A batch whose transaction fails (the database went away) fails the crawls whose
items were in it; the writer goes on with the next batch. It dies with its
worker (`die_with_parent`) and, where that guard is missing, notices the worker
is gone within a second.

`WriterClient` is the crawling process's side: it starts the writer (at once, or
lazily on the first item: a quiet poll then spawns no writer), queues items, and
resolves each crawl's acknowledgement as an asyncio future in the reactor's loop.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import queue
import threading
import time
from collections import Counter, defaultdict
from typing import Any

log = logging.getLogger(__name__)
END = "end"  # (crawl_id, END): the crawl yields nothing more
STOP = "stop"  # (None, STOP): write what is queued and exit
_CONTEXT = multiprocessing.get_context("spawn")  # a reactor and DB pools must not be forked
PUT_WAIT_SECONDS = 1.0  # one bounded wait for room in the queue; the writer is checked between


class WriterDied(RuntimeError):
    """The writer process is gone: what was queued for it may not be stored."""


def serve(
    database_url: str,
    webhooks: list[Any],
    items: Any,
    results: Any,
    parent_pid: int,
    batch_size: int = 50,
    batch_seconds: float = 0.3,
    log_level: int = logging.WARNING,
) -> None:
    from crawlers.warm.lifeline import die_with_parent

    die_with_parent(parent_pid)
    logging.basicConfig(level=log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from crawlers.writer import Writer
    from storage.db import Database

    db = Database(database_url)
    writer = Writer(db, list(webhooks))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    failures: dict[str, str] = {}
    failed_pages: dict[str, list[dict[str, Any]]] = defaultdict(list)
    stopping = False
    try:
        while not stopping:
            batch = _next_batch(items, batch_size, batch_seconds, parent_pid)
            if batch is None:
                break  # the worker is gone
            stopping = any(kind == STOP for _, kind in batch)
            work = [(crawl, item) for crawl, item in batch if item not in (END, STOP)]
            if work:
                _write(writer, work, counts, failures, failed_pages)
            for crawl, item in batch:
                if item == END:
                    key = str(crawl)
                    results.put((crawl, {"counts": dict(counts.pop(key, {})),
                                         "failure": failures.pop(key, None),
                                         "failed_pages": failed_pages.pop(key, [])}))
        results.put((None, STOP))  # the reader thread ends now, not at its next timeout
    finally:
        db.dispose()


def _next_batch(
    items: Any, batch_size: int, batch_seconds: float, parent_pid: int
) -> list[tuple[str | None, Any]] | None:
    while True:
        try:
            first = items.get(timeout=1.0)
            break
        except queue.Empty:
            if os.getppid() != parent_pid:
                return None
    batch = [first]
    deadline = time.monotonic() + batch_seconds
    while len(batch) < batch_size and first[1] not in (END, STOP):
        timeout = deadline - time.monotonic()
        if timeout <= 0:
            break
        try:
            entry = items.get(timeout=timeout)
        except queue.Empty:
            break
        batch.append(entry)
        if entry[1] in (END, STOP):
            break  # acknowledge without waiting out the batch time
    return batch


def _write(
    writer: Any,
    work: list[tuple[str | None, Any]],
    counts: dict[str, Counter[str]],
    failures: dict[str, str],
    failed_pages: dict[str, list[dict[str, Any]]],
) -> None:
    kinds: list[tuple[str, str]] = []
    pages: list[tuple[str, dict[str, Any]]] = []
    try:
        with writer.db.session() as session, session.begin():
            for crawl, item in work:
                kind, failed = writer.store_safely(session, item)
                pages.extend((str(crawl), page) for page in failed)
                if kind:
                    kinds.append((str(crawl), kind))
    except Exception as exc:  # the transaction itself failed: none of it is stored
        log.exception("a batch of %d item(s) could not be written", len(work))
        for crawl in {str(c) for c, _ in work}:
            failures.setdefault(crawl, repr(exc))
            counts[crawl]["store_failures"] += 1
        return
    for crawl, kind in kinds:
        counts[crawl][kind] += 1
    for crawl, page in pages:
        failed_pages[crawl].append(page)


class WriterClient:
    """The worker's handle on its writer; `put` and `finish` run in the reactor thread."""

    def __init__(
        self,
        database_url: str,
        webhooks: list[Any],
        *,
        batch_size: int = 50,
        batch_seconds: float = 0.3,
        queue_size: int = 1000,
    ) -> None:
        self.items: Any = _CONTEXT.Queue(maxsize=queue_size)
        self.results: Any = _CONTEXT.Queue()
        self.process = _CONTEXT.Process(
            target=serve,
            name="bulletins-shared-writer",
            args=(database_url, webhooks, self.items, self.results, os.getpid(), batch_size,
                  batch_seconds, logging.getLogger().getEffectiveLevel()),
            daemon=True,
        )
        self._waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.died = threading.Event()
        self._reader = threading.Thread(
            target=self._read_results, name="writer-results", daemon=True
        )

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start the writer now, for the reactor's `loop`. (Without `start`, the first
        `put` starts it, and the loop is the one running `finish`.)"""
        self._loop = loop
        self._spawn()

    def _spawn(self) -> None:
        # From the reactor's thread: the writer's death signal is tied to that thread.
        self.process.start()
        self._reader.start()

    @property
    def started(self) -> bool:
        return self.process.pid is not None

    def alive(self) -> bool:
        return not self.died.is_set() and (not self.started or self.process.is_alive())

    def gone(self) -> str:
        """Why the writer is no longer there, for the run's reason."""
        code = self.process.exitcode if self.started else None
        if code is None or code == 0:
            return "the database writer stopped"
        if code < 0:
            return f"the database writer died (killed by signal {-code})"
        return f"the database writer died (exit status {code})"

    def put(self, crawl_id: str, item: Any) -> None:
        if not self.started and not self.died.is_set():
            self._spawn()
        if not self._hand_over((crawl_id, item)):
            raise WriterDied(self.gone())

    def _hand_over(self, entry: tuple[str | None, Any]) -> bool:
        """Queue `entry`, waiting while the writer is behind; False once it is gone
        (a put without a bound would block the reactor for ever on a dead writer)."""
        while not self.died.is_set() and self.process.is_alive():
            try:
                self.items.put(entry, timeout=PUT_WAIT_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def finish(self, crawl_id: str) -> asyncio.Future[dict[str, Any]]:
        """The crawl's counts once everything it queued is written (or failed)."""
        if self._loop is None:  # never started: the writer was spawned by `put`
            self._loop = asyncio.get_running_loop()
        future: asyncio.Future[dict[str, Any]] = self._loop.create_future()
        with self._lock:
            if self.died.is_set():
                future.set_result({"counts": {}, "failure": self.gone()})
                return future
            self._waiting[crawl_id] = future
        if not self._hand_over((crawl_id, END)):
            self._fail_all(self.gone())
        return future

    def close(self, timeout: float = 30.0) -> None:
        if not self.started:
            return
        if self._hand_over((None, STOP)):
            self.process.join(timeout)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        # The reader reports a dead writer within a second; it must not outlive close().
        self._reader.join(5)
        for q in (self.items, self.results):
            if self.process.exitcode != 0:
                # What is left for a dead writer is lost anyway; the feeder thread
                # must not hold this process's exit writing it to a pipe nobody reads.
                q.cancel_join_thread()
            q.close()
            q.join_thread()

    def _read_results(self) -> None:
        while True:
            try:
                crawl_id, result = self.results.get(timeout=1.0)
            except queue.Empty:
                if self.process.is_alive():
                    continue
                if self.process.exitcode not in (0, None):
                    log.error("the database writer died (exit status %s)", self.process.exitcode)
                self._fail_all(self.gone())
                return
            except (EOFError, OSError):
                self._fail_all(self.gone())
                return
            if crawl_id is None and result == STOP:
                self._fail_all(self.gone())
                return
            self._resolve(crawl_id, result)

    def _resolve(self, crawl_id: str, result: dict[str, Any]) -> None:
        with self._lock:
            future = self._waiting.pop(crawl_id, None)
        if future is not None and self._loop is not None:
            self._loop.call_soon_threadsafe(_set, future, result)

    def _fail_all(self, why: str) -> None:
        with self._lock:
            self.died.set()
            waiting, self._waiting = self._waiting, {}
        for crawl_id in waiting:
            self._resolve_now(waiting[crawl_id], why)

    def _resolve_now(self, future: asyncio.Future[dict[str, Any]], why: str) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(_set, future, {"counts": {}, "failure": why})


def _set(future: asyncio.Future[dict[str, Any]], result: dict[str, Any]) -> None:
    if not future.done():
        future.set_result(result)
