"""One warm crawl worker as the pool sees it: a process, its pipes, its open orders.

The worker runs ``python -m crawlers.warm.worker`` in a process group of its own
(so killing the group takes its writer and any browser with it), started from a
thread that lives exactly as long as the worker: `PR_SET_PDEATHSIG`, armed by
the worker, fires when the thread that started it ends, so it must not be a
short-lived job thread. That thread then reads the worker's messages; when the
worker's output ends, every order still open fails with the reason.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from crawlers.warm import protocol

log = logging.getLogger("scheduler.pool")


@dataclass
class Order:
    """One crawl sent to a worker, and what became of it."""

    crawl_id: str
    source_id: str
    started: float = field(default_factory=time.monotonic)
    done: threading.Event = field(default_factory=threading.Event)
    summary: dict[str, Any] | None = None
    failure: str | None = None  # set when the worker ended without answering


class WorkerProcess:
    def __init__(self, name: str, settings: protocol.WorkerSettings, python: str = "") -> None:
        self.name = name
        self.settings = settings
        self.python = python or sys.executable
        self.orders: dict[str, Order] = {}
        self.crawls = 0  # orders answered
        self.rss = 0
        self.draining = False
        self.kill_reason: str | None = None
        self.exited = threading.Event()
        self.ready = threading.Event()
        self.pid: int | None = None
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()  # apart: a full pipe must not stop the reader
        self._proc: subprocess.Popen[bytes] | None = None
        self._spawned = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"pool-{name}", daemon=True)

    # --- lifecycle ----------------------------------------------------------------

    def start(self) -> WorkerProcess:
        self._thread.start()
        self._spawned.wait()
        return self

    def command(self) -> list[str]:
        """The worker's command line: no settings on it (a database password, webhook
        secrets): those travel on its stdin (`protocol.WorkerSettings`)."""
        return [self.python, "-m", "crawlers.warm.worker", "--parent", str(os.getpid())]

    def _run(self) -> None:
        try:
            self._proc = subprocess.Popen(
                self.command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                process_group=0,
            )
        except OSError as exc:
            self.kill_reason = f"the crawl worker could not start: {exc}"
            self._spawned.set()
            self._end()
            return
        self.pid = self._proc.pid
        self._spawned.set()
        try:
            self._write(self.settings.message())
            assert self._proc.stdout is not None
            for line in self._proc.stdout:
                self._on_message(line)
        finally:
            self._proc.wait()
            _killpg(self._proc.pid, signal.SIGKILL)  # its writer, a browser: nothing outlives it
            self._end()

    def _end(self) -> None:
        code = self._proc.returncode if self._proc is not None else None
        why = self.kill_reason or _exit_reason(code)
        with self._lock:
            orders, self.orders = self.orders, {}
        for order in orders.values():
            order.failure = why
            order.done.set()
        if orders or code not in (0, None):
            log.warning("crawl worker %s ended: %s (%d crawl(s) open)", self.name, why,
                        len(orders))
        self.exited.set()

    def _on_message(self, line: bytes) -> None:
        try:
            message = protocol.decode(line)
        except protocol.ProtocolError:
            log.warning("crawl worker %s: %s", self.name, line[:200])
            return
        op = message["op"]
        if op == protocol.READY:
            self.ready.set()
        elif op == protocol.DONE:
            with self._lock:
                order = self.orders.pop(str(message["crawl"]), None)
                self.crawls += 1
                self.rss = int(message.get("rss") or 0)
            if order is not None:
                order.summary = message["summary"]
                order.done.set()
        elif op == protocol.RECYCLE:
            log.warning("crawl worker %s asks to be replaced: %s", self.name, message["reason"])
            self.draining = True

    # --- orders -------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        return self._spawned.is_set() and not self.exited.is_set()

    def load(self) -> int:
        with self._lock:
            return len(self.orders)

    def submit(self, crawl_id: str, source: Any, time_limit: float) -> Order:
        order = Order(crawl_id, source.id)
        with self._lock:
            self.orders[crawl_id] = order
        message = {
            "op": protocol.CRAWL,
            "crawl": crawl_id,
            "source": source.model_dump(mode="json"),
            "time_limit": time_limit,
        }
        if not self._write(message):
            with self._lock:
                self.orders.pop(crawl_id, None)
            order.failure = self.kill_reason or "the crawl worker is gone"
            order.done.set()
        return order

    def stop(self, crawl_id: str, reason: str) -> None:
        self._write({"op": protocol.STOP, "crawl": crawl_id, "reason": reason})

    def drain(self) -> None:
        self.draining = True
        self._write({"op": protocol.DRAIN})

    def kill(self, reason: str, sig: int = signal.SIGKILL) -> None:
        """End the worker's whole process group; its open orders fail with `reason`."""
        if self.kill_reason is None:
            self.kill_reason = reason
        if self.pid is not None:
            _killpg(self.pid, sig)

    def _write(self, message: dict[str, Any]) -> bool:
        proc = self._proc
        if proc is None or proc.stdin is None:
            return False
        try:
            with self._write_lock:
                protocol.send(proc.stdin, message)
            return True
        except (BrokenPipeError, ValueError, OSError):
            return False


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        return f"the crawl worker was killed by {signal.Signals(-code).name}"
    return f"the crawl worker exited with status {code}"


def _killpg(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)
