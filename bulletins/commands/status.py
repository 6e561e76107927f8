"""`bulletins status`: per source, last run, result, health and next run."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bulletins.context import Context, UsageError
from storage.status import RunStatus

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("status", help="per source: last run, result, health, next run")
    parser.add_argument("source_ids", nargs="*", metavar="SOURCE_ID", help="only these sources")
    parser.add_argument("--all", action="store_true", help="include disabled sources")
    parser.add_argument("--json", dest="sub_json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(ctx: Context, args: argparse.Namespace) -> int:
    from scheduler.status import source_statuses
    from storage.models import utcnow

    config = ctx.config
    if args.source_ids:
        known = {s.id: s for s in config.sources}
        unknown = [sid for sid in args.source_ids if sid not in known]
        if unknown:
            raise UsageError(f"unknown source(s): {', '.join(unknown)}")
        sources = [known[sid] for sid in args.source_ids]
    else:
        sources = list(config.sources) if args.all else config.enabled_sources()
    with ctx.db.session() as session:
        rows = source_statuses(session, sources, config.timezone, utcnow())
        queue = _queue_states(ctx, session, [r.source for r in rows])
    if ctx.json_output:
        ctx.print_json([{**row.to_dict(), "queue": queue.get(row.source)} for row in rows])
        return 0
    if not rows:
        print("no sources")
        return 0
    tz = ZoneInfo(config.timezone)

    def when(value: datetime | None) -> str:
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else "never"

    width = max(len("SOURCE"), *(len(r.source) for r in rows))
    print(
        f"{'SOURCE':<{width}}  {'LAST RUN':<16}  {'RESULT':<8}  {'LAST SUCCESS':<16}  "
        f"{'NEW 7D':>6}  {'FAILS':>5}  {'HEALTH':<9}  {'QUEUE':<7}  NEXT RUN"
    )
    for r in rows:
        started = r.last_run["started_at"] if r.last_run else None
        next_run = when(r.next_run) if r.enabled else "disabled"
        if r.overdue:
            next_run += " (overdue)"
        print(
            f"{r.source:<{width}}  {when(started):<16}  {r.result or '-':<8}  "
            f"{when(r.last_success):<16}  {r.new_documents_7d:>6}  {r.consecutive_failures:>5}  "
            f"{'ok' if r.healthy else 'UNHEALTHY':<9}  {queue.get(r.source) or '-':<7}  {next_run}"
        )
        if not r.healthy:
            print(f"{'':<{width}}  unhealthy since {when(r.health_changed_at)}: {r.health_reason}")
        elif r.last_run and r.result in FAILED and r.last_run.get("reason"):
            print(f"{'':<{width}}  last run: {r.last_run['reason']}")
        for line in run_notes(r.last_run):
            print(f"{'':<{width}}  {line}")
    print(f"{len(rows)} source(s) ({config.timezone})")
    return 0


FAILED = (RunStatus.FAILED, RunStatus.KILLED)


def run_notes(last_run: dict[str, Any] | None) -> list[str]:
    """What a run recorded beside its result: failed pages by code, detection's use
    and its warnings about the configured list selector."""
    if not last_run:
        return []
    notes = []
    codes = last_run.get("failed_pages") or {}
    if codes:
        listed = ", ".join(f"{code} ×{n}" if n > 1 else code for code, n in codes.items())
        notes.append(f"failed pages: {listed}")
    if last_run.get("listing_detected"):
        notes.append(f"list detected on {last_run['listing_detected']} listing page(s)")
    for warning in last_run.get("warnings") or []:
        notes.append(f"warning: {warning.get('url')}: {warning.get('warning')}")
    return notes


def _queue_states(ctx: Context, session: Session, source_ids: list[str]) -> dict[str, str]:
    """Queue mode: ``waiting``, ``running`` or ``idle`` per source; local mode: none."""
    if ctx.config.execution != "queue":
        return {}
    from scheduler.queue_status import QueueSchemaMissing, queue_states

    try:
        return {sid: "idle" for sid in source_ids} | queue_states(session, source_ids)
    except QueueSchemaMissing as exc:
        print(f"bulletins status: {exc}", file=sys.stderr)
        return {sid: "?" for sid in source_ids}
