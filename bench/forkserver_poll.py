"""Candidate (b) of issue 16, for `bench_poll.py --mode fork`: a fork server.

A process imports everything a crawl needs once (Scrapy, the spiders, the
middlewares, Playwright's module, SQLAlchemy, the schema check), freezes its
objects out of the garbage collector (`gc.freeze`, so children copy fewer pages),
then forks one child per crawl; after the first crawl it also imports whatever
that crawl imported (but the reactor), so later children import nothing. The
child installs the reactor, runs the crawl with `crawlers.runner.run_crawls` and
exits; the server reaps it and reports.

Measurement-only: the child runs with no item pipeline, which a quiet poll never
reaches (it yields no item); a real fork server would hand items to a shared
writer as the warm worker does. Orders and answers are JSON lines on stdin/stdout.

    python bench/forkserver_poll.py DATABASE_URL TIMEZONE OVERRIDES_JSON
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import select
import signal
import sys
import threading
import time
from pathlib import Path
from subprocess import PIPE, Popen
from typing import Any


def serve(database_url: str, timezone: str, overrides: dict[str, Any]) -> None:
    import crawlers.browser.handler
    import crawlers.extensions
    import crawlers.middlewares  # noqa: F401
    from crawlers.runner import crawl_settings, run_crawls
    from crawlers.sources.schema import SourceConfig
    from crawlers.store import database

    db = database(database_url)  # the schema check, once
    db.engine.dispose()
    settings = crawl_settings(
        database_url=database_url,
        timezone=timezone,
        overrides={**overrides, "ITEM_PIPELINES": {}},
    )
    gc.freeze()
    modules_file = f"/tmp/forkserver-modules-{os.getpid()}"
    primed = False
    children: dict[int, str] = {}
    stdin = sys.stdin.fileno()
    buffer = b""
    while True:
        readable, _, _ = select.select([stdin], [], [], 0.01)
        if readable:
            chunk = os.read(stdin, 65536)
            if not chunk:
                break
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                order = json.loads(line)
                source = SourceConfig.model_validate(order["source"])
                pid = os.fork()
                if pid == 0:  # the crawl
                    os.setpgid(0, 0)
                    db.engine.dispose(close=False)
                    code = 1
                    try:
                        [summary] = run_crawls([source], settings)
                        code = 0 if summary.status == "ok" else 1
                        if not primed:
                            Path(modules_file).write_text("\n".join(sorted(sys.modules)))
                    finally:
                        os._exit(code)
                children[pid] = order["crawl"]
        while children:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            if not primed and os.path.exists(modules_file):
                primed = _import_all(Path(modules_file).read_text().split())
            crawl = children.pop(pid)
            sys.stdout.write(json.dumps({"crawl": crawl, "status": status}) + "\n")
            sys.stdout.flush()


def _import_all(names: list[str]) -> bool:
    """Import in the server what the first crawl imported (not the reactor: a child
    installs its own), so children do not import anything themselves."""
    import importlib

    for name in names:
        if name in sys.modules or "reactor" in name or name.startswith("__"):
            continue
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    gc.freeze()
    return True


class ForkServerPoller:
    """The bench's side: send a source, wait for its child's exit status."""

    def __init__(self, database_url: str, timezone: str, overrides: dict[str, Any]) -> None:
        self.proc = Popen(
            [sys.executable, str(Path(__file__)), database_url, timezone, json.dumps(overrides)],
            stdin=PIPE,
            stdout=PIPE,
        )
        self._lock = threading.Lock()
        self._waiting: dict[str, list[Any]] = {}
        self._ids = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            answer = json.loads(line)
            with self._lock:
                slot = self._waiting.pop(answer["crawl"])
            slot[1] = answer["status"]
            slot[0].set()

    def crawl(self, source: Any, time_limit: float) -> Any:
        with self._lock:
            self._ids += 1
            crawl = str(self._ids)
            slot: list[Any] = [threading.Event(), None]
            self._waiting[crawl] = slot
            assert self.proc.stdin is not None
            order = {"crawl": crawl, "source": source.model_dump(mode="json")}
            self.proc.stdin.write(json.dumps(order).encode() + b"\n")
            self.proc.stdin.flush()
        started = time.monotonic()
        slot[0].wait(time_limit)
        return {"status": slot[1], "seconds": time.monotonic() - started}

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(30)
        except Exception:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]))
