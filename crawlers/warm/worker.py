"""A warm crawl worker: ``python -m crawlers.warm.worker --parent PID``.

Reads its settings, then crawl orders, from stdin; answers on stdout (see
`crawlers.warm.protocol`). Each order is a `Crawler` of its own in this
process's one reactor, with the usual spider, middlewares and run recorder, and
one writer process for all of them (`crawlers.pipelines.StorePipeline`). A crawl still
running at its time limit is closed (reason "time limit", recorded as failed
like any early stop); what cannot be closed is the pool's to kill, with the
whole worker. The worker dies with its pool (`die_with_parent`), and its writer
with it; SIGTERM closes the running crawls (reason "shutdown") and exits.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import asdict
from typing import IO, Any

from crawlers.warm import protocol
from crawlers.warm.lifeline import die_with_parent

log = logging.getLogger("crawlers.warm.worker")
REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
#: Per-crawl work that a process running hundreds of crawls an hour does not need
#: (measured with bench/profile_poll.py): Scrapy's check that a callback generator
#: returns no value parses the spider's source with `ast` on every new spider
#: (a third of a quiet poll's CPU); memory and progress are watched by the pool,
#: not by a timer in every crawler.
WARM_SETTINGS: dict[str, Any] = {
    "WARN_ON_GENERATOR_RETURN_VALUE": False,
    "MEMUSAGE_ENABLED": False,
    "LOGSTATS_INTERVAL": 0,
}


class Worker:
    def __init__(self, settings: protocol.WorkerSettings, out: IO[bytes]) -> None:
        from alerts.config import WebhookConfig
        from crawlers.runner import crawl_settings, scrapy_overrides
        from crawlers.settings_model import BrowserSettings, CrawlSettings
        from crawlers.store import database
        from crawlers.warm.shared_writer import WriterClient

        self.settings = settings
        self.out = out
        self._out_lock = threading.Lock()
        webhooks = [WebhookConfig.model_validate(w) for w in settings.webhooks]
        # The configuration the scheduler holds, as data: never the config file.
        # (`crawl` is the whole section, every key given: a dumped `CrawlSettings`.)
        crawl = CrawlSettings.model_validate(settings.crawl) if settings.crawl else None
        browser = BrowserSettings.model_validate(settings.browser) if settings.browser else None
        configured = scrapy_overrides(crawl, browser) if crawl else {}
        overrides = {**configured, **settings.overrides, **WARM_SETTINGS}
        self.scrapy_settings = crawl_settings(
            database_url=settings.database_url,
            timezone=settings.timezone,
            webhooks=webhooks,
            overrides=overrides,
        )
        self.db = database(settings.database_url)  # the schema is upgraded here, once
        self.writer = WriterClient(settings.database_url, webhooks)
        self.crawlers: dict[str, Any] = {}
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.closing: set[asyncio.Future[None]] = set()
        self.crawls = 0
        self.sources: dict[str, Any] = {}  # source JSON -> validated SourceConfig
        self.draining = False
        self.loop: asyncio.AbstractEventLoop | None = None
        self.runner: Any = None

    # --- messages -------------------------------------------------------------------

    def send(self, message: dict[str, Any]) -> None:
        with self._out_lock:
            protocol.send(self.out, message)

    def started(self) -> None:
        from scrapy.crawler import AsyncCrawlerRunner

        self.loop = asyncio.get_event_loop()
        self.runner = AsyncCrawlerRunner(self.scrapy_settings)
        self.writer.start(self.loop)
        self.send({"op": protocol.READY, "pid": os.getpid()})

    def read_orders(self, stream: IO[bytes]) -> None:
        """The stdin thread: each order is handed to the reactor's loop."""
        assert self.loop is not None
        for line in stream:
            try:
                message = protocol.decode(line)
            except protocol.ProtocolError:
                log.exception("bad order from the pool")
                continue
            self.loop.call_soon_threadsafe(self.handle, message)
        self.loop.call_soon_threadsafe(self.drain)  # the pool closed our stdin

    def handle(self, message: dict[str, Any]) -> None:
        op = message["op"]
        if op == protocol.CRAWL:
            self.start_crawl(str(message["crawl"]), message["source"], message["time_limit"])
        elif op == protocol.STOP:
            self.stop_crawl(str(message["crawl"]), str(message.get("reason") or "stopped"))
        elif op == protocol.DRAIN:
            self.drain()

    # --- crawls ---------------------------------------------------------------------

    def start_crawl(self, crawl_id: str, source_data: dict[str, Any], time_limit: float) -> None:
        from crawlers.runner import install_browser
        from crawlers.sources.schema import SourceConfig
        from crawlers.spiders import spider_class

        assert self.loop is not None
        if self.draining:
            self.send(_failed(crawl_id, "the worker is draining: order refused"))
            return
        try:
            key = json.dumps(source_data, sort_keys=True)
            source = self.sources.get(key)
            if source is None:
                source = SourceConfig.model_validate(source_data)
                if len(self.sources) > 10_000:
                    self.sources.clear()
                self.sources[key] = source
            crawler = self.runner.create_crawler(spider_class(source.spider))
            install_browser(crawler, source)
            crawler.bulletins_writer = self.writer
            crawler.bulletins_crawl_id = crawl_id
        except Exception as exc:
            log.exception("crawl %s could not start", crawl_id)
            self.send(_failed(crawl_id, f"the crawl could not start: {exc!r}"))
            return
        self.crawls += 1
        self.crawlers[crawl_id] = crawler
        self.timers[crawl_id] = self.loop.call_later(
            time_limit, self.stop_crawl, crawl_id, "time limit"
        )
        task = self.runner.crawl(crawler, source=source)
        task.add_done_callback(lambda t: self.finished(crawl_id, crawler, t))

    def stop_crawl(self, crawl_id: str, reason: str) -> None:
        crawler = self.crawlers.get(crawl_id)
        engine = getattr(crawler, "engine", None)
        if crawler is None or engine is None or engine.spider is None:
            return
        log.warning("ending crawl %s: %s", crawl_id, reason)
        closing = asyncio.ensure_future(engine.close_spider_async(reason=reason))
        self.closing.add(closing)
        closing.add_done_callback(self.closing.discard)

    def finished(self, crawl_id: str, crawler: Any, task: asyncio.Task[None]) -> None:
        timer = self.timers.pop(crawl_id, None)
        if timer is not None:
            timer.cancel()
        self.crawlers.pop(crawl_id, None)
        error = None if task.cancelled() else task.exception()
        summary = self.summary(crawler, error)
        self.send(
            {
                "op": protocol.DONE,
                "crawl": crawl_id,
                "summary": summary,
                "rss": _rss(),
                "crawls": self.crawls,
            }
        )
        if self.writer.died.is_set() and not self.draining:
            self.send({"op": protocol.RECYCLE, "reason": "the database writer died"})
            self.drain()
        self.maybe_exit()

    def summary(self, crawler: Any, error: BaseException | None) -> dict[str, Any]:
        from crawlers.runner import RunSummary
        from storage.models import CrawlRun

        spider = getattr(crawler, "spider", None)
        source = getattr(spider, "source", None)
        run_id = getattr(spider, "run_id", None)
        run = None
        if run_id is not None:
            with self.db.session() as session:
                run = session.get(CrawlRun, run_id)
        if run is None:
            why = f"the spider did not start: {error!r}" if error else "the spider did not start"
            return asdict(RunSummary.not_started(getattr(source, "id", "?"), why))
        return asdict(RunSummary.of(run, max_errors=20))

    # --- the end ----------------------------------------------------------------------

    def drain(self) -> None:
        self.draining = True
        self.maybe_exit()

    def shutdown(self) -> None:
        self.draining = True
        for crawl_id in list(self.crawlers):
            self.stop_crawl(crawl_id, "shutdown")
        self.maybe_exit()

    def maybe_exit(self) -> None:
        if self.draining and not self.crawlers:
            self.writer.close()
            reactor = _reactor()
            reactor.callLater(0, reactor.stop)


def _failed(crawl_id: str, why: str) -> dict[str, Any]:
    from crawlers.runner import RunSummary

    summary = asdict(RunSummary.not_started("?", why))
    summary["source_id"] = None
    return {"op": protocol.DONE, "crawl": crawl_id, "summary": summary, "rss": _rss(),
            "crawls": 0}


def _reactor() -> Any:
    """The installed reactor (typed loosely: its interfaces are not its class)."""
    from twisted.internet import reactor

    return reactor


def _rss() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawlers.warm.worker")
    parser.add_argument("--parent", type=int, required=True, help="the pool's pid")
    args = parser.parse_args(argv)
    die_with_parent(args.parent)
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to stderr; stdout carries only messages
    first = sys.stdin.buffer.readline()
    settings = protocol.WorkerSettings.from_message(protocol.decode(first))
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s [worker %(process)d] %(name)s: %(message)s",
    )
    from scrapy.utils.reactor import install_reactor

    install_reactor(REACTOR)
    reactor = _reactor()

    worker = Worker(settings, out)

    def begin() -> None:
        worker.started()
        threading.Thread(
            target=worker.read_orders, args=(sys.stdin.buffer,), name="orders", daemon=True
        ).start()

    signal.signal(
        signal.SIGTERM,
        lambda *_: reactor.callFromThread(worker.shutdown),
    )
    reactor.callWhenRunning(begin)
    reactor.run(installSignalHandlers=False)
    out.flush()
    logging.shutdown()
    # The stdin thread may sit in a read: leave without the interpreter's teardown.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
