"""`bulletins crawl [SOURCE_ID ...]`: crawl now."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING

from bulletins.config import ConfigError
from bulletins.context import Context, UsageError
from crawlers.sources.schema import SourceConfig
from storage.status import error_code

if TYPE_CHECKING:
    from scheduler.health import HealthChange


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("crawl", help="crawl now (all enabled sources if none named)")
    parser.add_argument("source_ids", nargs="*", metavar="SOURCE_ID")
    parser.add_argument(
        "--full", action="store_true", help="refetch every listed article (finds revised releases)"
    )
    parser.add_argument(
        "--no-deliver", action="store_true", help="leave new alerts in the outbox for later"
    )
    parser.add_argument("--json", dest="sub_json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def select_sources(ctx: Context, ids: list[str]) -> list[SourceConfig]:
    if not ids:
        chosen = ctx.config.enabled_sources()
    else:
        chosen = []
        for source_id in ids:
            try:
                chosen.append(ctx.config.source(source_id))
            except KeyError:
                known = ", ".join(s.id for s in ctx.config.sources[:20])
                raise UsageError(f"unknown source {source_id!r} (known: {known} …)") from None
    from crawlers.spiders import SPIDERS

    bad = [
        f"source {s.id!r}: spider: unknown spider {s.spider!r}"
        for s in chosen
        if s.spider not in SPIDERS
    ]
    if bad:
        raise ConfigError([f"{ctx.config.path or '<config>'}: {line}" for line in bad])
    return chosen


def run(ctx: Context, args: argparse.Namespace) -> int:
    from crawlers.runner import crawl_settings, run_crawls, scrapy_overrides

    sources = select_sources(ctx, args.source_ids)
    if not sources:
        print("no enabled sources to crawl", file=sys.stderr)
        return 0
    from storage.writable import check_writable

    check_writable(ctx.db)  # also upgrades the schema before the crawl opens its own connections
    settings = crawl_settings(
        database_url=ctx.config.database,
        timezone=ctx.config.timezone,
        webhooks=[w for w in ctx.config.webhooks if w.enabled],
        overrides=scrapy_overrides(ctx.config.crawl, ctx.config.browser),
        full=args.full,
    )
    summaries = run_crawls(sources, settings)
    health = watch_health(ctx, [s.source_id for s in summaries])
    delivered = pending = None
    if ctx.config.webhooks and not args.no_deliver:
        from alerts.delivery import deliver_pending
        from alerts.pending import pending_alerts

        # Every alert due now gets its attempt before the crawl returns; one that fails
        # is due again after its backoff, and the summary says how many and when.
        # (Each send is bounded by its webhook's timeout, the whole call by its lease.)
        delivered = deliver_pending(ctx.db, ctx.config.webhooks)
        pending = pending_alerts(ctx.db, ctx.config.webhooks)
    if ctx.json_output:
        ctx.print_json(
            {
                "runs": [asdict(s) for s in summaries],
                "health": [asdict(h) for h in health],
                "alerts": asdict(delivered) if delivered is not None else None,
                "alerts_pending": pending.as_dict() if pending is not None else None,
            }
        )
    else:
        for s in summaries:
            line = (
                f"{s.source_id}: {s.status} — {s.new_documents} new, {s.new_versions} revised, "
                f"{s.duplicates} already known, {s.requests} requests"
            )
            if s.errors:
                line += f", {len(s.errors)} failed page(s)"
            print(line)
            for err in s.errors[:10]:
                print(f"    {err['url']}: {error_code(err)}: {err['error']}")
            if s.listing_detected:
                print(f"    list detected on {s.listing_detected} listing page(s)")
            for warning in s.warnings[:10]:
                print(f"    warning: {warning['url']}: {warning['warning']}")
            if s.failed and s.reason:
                print(f"    reason: {s.reason}", file=sys.stderr)
        for h in health:
            print(f"{h.source_id}: " + ("recovered" if h.healthy else f"UNHEALTHY — {h.reason}"))
        if delivered is not None:
            print(f"alerts: {delivered}; {pending}")
    return 1 if any(s.failed for s in summaries) else 0


def watch_health(ctx: Context, source_ids: list[str]) -> list[HealthChange]:
    """The health watch after a crawl (manual, `run-due` or the daemon's child)."""
    from scheduler.health import check_sources

    return check_sources(ctx.db, [w for w in ctx.config.webhooks if w.enabled], source_ids)
