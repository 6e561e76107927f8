"""`bulletins daemon` and `bulletins run-due`: scheduled crawling.

`daemon` runs the APScheduler scheduler until SIGTERM or SIGINT (SIGHUP re-reads
the config); `run-due` is one tick for system cron. Both crawl in warm crawl
worker processes (the local dispatcher, sized by the config's `workers:`); see
`scheduler.daemon`, `scheduler.rundue` and `scheduler.dispatch`. The app gives
the scheduler what it needs: the config, the dispatcher, how to reload.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING

from bulletins.config import (
    AppConfig,
    ConfigError,
    load_config,
    require_queue_mode,
    with_database,
)
from bulletins.context import Context

if TYPE_CHECKING:
    from scheduler.dispatch import Dispatcher, LocalDispatcher, PoolSettings
    from scheduler.queue import QueueDispatcher


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    daemon = commands.add_parser(
        "daemon",
        help="run the scheduler until SIGTERM (SIGHUP re-reads the config)",
        description="Crawl every enabled source on its schedule, in warm crawl worker "
        "processes (see the config's workers:), and deliver alerts continuously. SIGHUP "
        "re-reads the config; SIGTERM or SIGINT stops after the running crawls (up to "
        "daemon.grace_period).",
    )
    daemon.set_defaults(handler=run_daemon)
    due = commands.add_parser(
        "run-due",
        help="one tick for system cron: crawl what is due",
        description="Crawl every enabled source whose schedule fired since its last run, "
        "then deliver pending alerts. Exits 0 at once if another tick is still running.",
    )
    due.add_argument("--no-deliver", action="store_true", help="leave pending alerts in the outbox")
    due.add_argument("--json", dest="sub_json", action="store_true", help="print JSON")
    due.set_defaults(handler=run_due)


def worker_log_level(level: str) -> str:
    """Crawl workers log at WARNING unless DEBUG is asked: Scrapy's INFO is noise."""
    return level if level.upper() in ("DEBUG", "ERROR", "CRITICAL") else "WARNING"


def pool_settings(config: AppConfig, log_level: str) -> PoolSettings:
    """The crawl pool's settings: the sections of `config` the workers crawl with."""
    from scheduler.dispatch import PoolSettings

    return PoolSettings.of(
        database_url=config.database,
        timezone=config.timezone,
        crawl=config.crawl,
        browser=config.browser,
        webhooks=config.webhooks,
        workers=config.workers,
        log_level=worker_log_level(log_level),
    )


def local_dispatcher(config: AppConfig, log_level: str) -> LocalDispatcher:
    from scheduler.dispatch import LocalDispatcher

    return LocalDispatcher(pool_settings(config, log_level))


def queue_dispatcher_for(config: AppConfig) -> QueueDispatcher | None:
    """In queue mode, the dispatcher that enqueues (the workers crawl); else None."""
    if config.execution != "queue":
        return None
    from scheduler.queue import QueueDispatcher

    require_queue_mode(config, "daemon")
    return QueueDispatcher(config)


def run_daemon(ctx: Context, args: argparse.Namespace) -> int:
    from bulletins.doctor import dependency_problems
    from scheduler.daemon import Daemon
    from scheduler.daemon_config import DaemonConfig, InvalidConfig
    from storage.writable import check_writable

    path = ctx.config.path.resolve() if ctx.config.path else None
    queued = queue_dispatcher_for(ctx.config)  # queue mode: this daemon only enqueues
    local_pool = local_dispatcher(ctx.config, args.log_level) if queued is None else None
    dispatcher: Dispatcher
    if queued is not None:
        dispatcher = queued
    else:
        assert local_pool is not None
        dispatcher = local_pool

    def reload() -> DaemonConfig:
        try:
            config = load_config(path)
            return with_database(config, args.db) if args.db is not None else config
        except ConfigError as exc:
            raise InvalidConfig(str(exc)) from None

    def reconfigure(config: DaemonConfig) -> None:
        assert isinstance(config, AppConfig)
        if local_pool is not None:
            local_pool.reconfigure(pool_settings(config, args.log_level))

    check_writable(ctx.db, "the daemon's crawls store their runs and documents there")
    # Refuse to start rather than crawl without a dependency (`bulletins doctor` says more).
    problems = dependency_problems(ctx.config)
    for problem in problems:
        print(f"bulletins daemon: cannot start: {problem.line()}", file=sys.stderr)
    if problems:
        return 1

    ctx.close()
    daemon = Daemon(
        ctx.config,
        dispatcher,
        reload=reload if path is not None else None,
        on_reload=reconfigure,
        deliver=queued is None,
        exclusive=queued is None,
    )
    return daemon.run()


def run_due(ctx: Context, args: argparse.Namespace) -> int:
    from scheduler.rundue import run_due as tick
    from storage.writable import check_writable

    check_writable(ctx.db)
    report = tick(
        ctx.config,
        lambda: local_dispatcher(ctx.config, args.log_level),
        ctx.db,
        deliver=not args.no_deliver,
    )
    if ctx.json_output:
        ctx.print_json(
            {
                "skipped": report.skipped,
                "due": report.due,
                "runs": [asdict(o) for o in report.outcomes],
                "alerts": asdict(report.delivered) if report.delivered is not None else None,
            }
        )
    else:
        if report.skipped:
            print(f"run-due: {report.skipped}; nothing done")
        for o in report.outcomes:
            line = f"{o.source_id}: {o.status} — {o.new_documents} new, {o.seconds:.1f}s"
            if o.reason:
                line += f" ({o.reason})"
            print(line)
        if report.delivered is not None and (report.outcomes or _busy(report.delivered)):
            print(f"alerts: {report.delivered}")
    return 1 if report.failed else 0


def _busy(delivered: object) -> bool:
    """Whether a delivery report counts anything (a quiet tick prints nothing)."""
    return any(isinstance(v, int) and v for v in vars(delivered).values())
