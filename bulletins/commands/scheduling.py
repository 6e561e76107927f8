"""`bulletins daemon` and `bulletins run-due`: scheduled crawling.

`daemon` runs the APScheduler scheduler until SIGTERM or SIGINT (SIGHUP re-reads
the config); `run-due` is one tick for system cron. Both crawl in child
processes; see `scheduler.daemon` and `scheduler.rundue`.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING

from bulletins.context import Context

if TYPE_CHECKING:
    from scheduler.child import ChildSpec


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    daemon = commands.add_parser(
        "daemon",
        help="run the scheduler until SIGTERM (SIGHUP re-reads the config)",
        description="Crawl every enabled source on its schedule, each crawl in a child "
        "process, and deliver alerts continuously. SIGHUP re-reads the config; SIGTERM "
        "or SIGINT stops after the running crawls (up to daemon.grace_period).",
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


def _spec(ctx: Context, args: argparse.Namespace) -> ChildSpec:
    from scheduler.child import ChildSpec, child_log_level

    return ChildSpec(
        config_path=ctx.config.path.resolve() if ctx.config.path else None,
        database_url=ctx.config.database,
        log_level=child_log_level(args.log_level),
        log_format=args.log_format,
    )


def run_daemon(ctx: Context, args: argparse.Namespace) -> int:
    from bulletins.doctor import dependency_problems
    from scheduler.daemon import Daemon
    from storage.writable import check_writable

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
        config_path=ctx.config.path,
        database_override=args.db,
        log_level=args.log_level,
        log_format=args.log_format,
    )
    return daemon.run()


def run_due(ctx: Context, args: argparse.Namespace) -> int:
    from scheduler.rundue import run_due as tick
    from storage.writable import check_writable

    check_writable(ctx.db)
    report = tick(ctx.config, _spec(ctx, args), ctx.db, deliver=not args.no_deliver)
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
