"""`bulletins daemon` and `bulletins run-due`: scheduled crawling.

`daemon` runs the APScheduler scheduler until SIGTERM or SIGINT (SIGHUP re-reads
the config); `run-due` is one tick for system cron. Both crawl in warm crawl
worker processes (the local dispatcher, sized by the config's `workers:`); see
`scheduler.daemon`, `scheduler.rundue` and `scheduler.dispatch`. The app gives
the scheduler what it needs: the config, the dispatcher, how to reload.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import TYPE_CHECKING

from bulletins.config import AppConfig, ConfigError, load_config, with_database
from bulletins.context import Context

if TYPE_CHECKING:
    from scheduler.dispatch import LocalDispatcher, PoolSettings


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


def run_daemon(ctx: Context, args: argparse.Namespace) -> int:
    from scheduler.daemon import Daemon, DaemonConfig, InvalidConfig

    path = ctx.config.path.resolve() if ctx.config.path else None
    dispatcher = local_dispatcher(ctx.config, args.log_level)

    def reload() -> DaemonConfig:
        try:
            config = load_config(path)
            return with_database(config, args.db) if args.db is not None else config
        except ConfigError as exc:
            raise InvalidConfig(str(exc)) from None

    def reconfigure(config: DaemonConfig) -> None:
        assert isinstance(config, AppConfig)
        dispatcher.reconfigure(pool_settings(config, args.log_level))

    daemon = Daemon(
        ctx.config,
        dispatcher,
        reload=reload if path is not None else None,
        on_reload=reconfigure,
    )
    return daemon.run()


def run_due(ctx: Context, args: argparse.Namespace) -> int:
    from scheduler.rundue import run_due as tick

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
