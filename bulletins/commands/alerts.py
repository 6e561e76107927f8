"""`bulletins alerts list | deliver | retry | test`: the webhook outbox."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import Any

from alerts.admin import STATUSES, RetryRefused, alert_dict, list_alerts, retry_alerts, retry_dead
from alerts.delivery import DEFAULT_WORKERS, deliver_pending, send_test
from bulletins.context import Context, UsageError


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("alerts", help="webhook alerts: list, deliver, retry, test")
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    listing = sub.add_parser("list", help="alerts in the outbox, newest first")
    listing.add_argument("--status", choices=STATUSES, help="only alerts of this status")
    listing.add_argument("--webhook", help="only alerts for this webhook id")
    listing.add_argument("--limit", type=int, default=None)
    _json_flag(listing)
    listing.set_defaults(handler=list_command)

    deliver = sub.add_parser("deliver", help="send the alerts that are due (exit 1 if any failed)")
    deliver.add_argument("--batch", type=int, default=100, help="alerts claimed at a time")
    deliver.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="concurrent requests")
    _json_flag(deliver)
    deliver.set_defaults(handler=deliver_command)

    retry = sub.add_parser("retry", help="put alerts back in the queue, due now")
    retry.add_argument("ids", nargs="*", metavar="ID", help="alert ids")
    retry.add_argument("--dead", action="store_true", help="every dead alert")
    _json_flag(retry)
    retry.set_defaults(handler=retry_command)

    test = sub.add_parser("test", help="send a signed sample alert to a webhook now")
    test.add_argument("webhook_id", metavar="WEBHOOK_ID")
    _json_flag(test)
    test.set_defaults(handler=test_command)


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", dest="sub_json", action="store_true", help="print JSON")


def _short(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def list_command(ctx: Context, args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be at least 1")
    with ctx.db.session() as session:
        alerts = list_alerts(session, status=args.status, webhook=args.webhook, limit=args.limit)
        rows = [alert_dict(a) for a in alerts]
    if ctx.json_output:
        ctx.print_json(rows)
        return 0
    if not rows:
        print("no alerts")
        return 0
    for row in rows:
        when = row["next_attempt"] or row["delivered_at"] or ""
        doc = f"doc {row['document_id']}" if row["document_id"] is not None else row["event_key"]
        line = (
            f"{row['id']}  {row['webhook']:<16} {row['status']:<9} "
            f"{row['attempts']:>2} attempt(s)  {str(when)[:19]:<19}  {row['event_type']}  {doc}"
        )
        if row["last_error"] and row["status"] != "delivered":
            line += f"\n    last error: {_short(row['last_error'], 160)}"
        print(line)
    return 0


def deliver_command(ctx: Context, args: argparse.Namespace) -> int:
    if args.batch < 1 or args.workers < 1:
        raise UsageError("--batch and --workers must be at least 1")
    report = deliver_pending(ctx.db, ctx.config.webhooks, batch=args.batch, workers=args.workers)
    if ctx.json_output:
        ctx.print_json({**asdict(report), "failed": report.failed})
    else:
        print(f"alerts: {report}")
        for line in report.errors:
            print(f"    {line}", file=sys.stderr)
    return 0 if report.ok else 1


def retry_command(ctx: Context, args: argparse.Namespace) -> int:
    if bool(args.ids) == bool(args.dead):
        raise UsageError("give alert ids or --dead (not both)")
    with ctx.db.session() as session, session.begin():
        if args.dead:
            count = retry_dead(session)
        else:
            missing = _missing_ids(session, args.ids)
            if missing:
                raise UsageError(f"no alert {', '.join(missing)}")
            try:
                count = retry_alerts(session, args.ids)
            except RetryRefused as exc:
                print(f"bulletins alerts retry: {exc}", file=sys.stderr)
                return 1
    if ctx.json_output:
        ctx.print_json({"requeued": count})
    else:
        print(f"{count} alert(s) back in the queue, due now")
    return 0


def _missing_ids(session: Any, ids: list[str]) -> list[str]:
    from sqlalchemy import select

    from storage.models import Alert

    found = set(session.scalars(select(Alert.id).where(Alert.id.in_(ids))))
    return [i for i in ids if i not in found]


def test_command(ctx: Context, args: argparse.Namespace) -> int:
    try:
        webhook = ctx.config.webhook(args.webhook_id)
    except KeyError:
        known = ", ".join(h.id for h in ctx.config.webhooks) or "none configured"
        raise UsageError(f"no webhook {args.webhook_id!r} (known: {known})") from None
    msg_id, result = send_test(webhook)
    if ctx.json_output:
        ctx.print_json(
            {
                "webhook": webhook.id,
                "id": msg_id,
                "ok": result.ok,
                "status": result.status_code,
                "address": result.address,
                "error": result.error,
                "body": result.body[:500],
                "duration_ms": result.duration_ms,
            }
        )
    else:
        status = result.status_code if result.status_code is not None else "no response"
        print(f"webhook {webhook.id} ({webhook.display_url}): {status} in {result.duration_ms} ms")
        if result.body:
            print(f"    body: {_short(result.body, 300)}")
        if result.error:
            print(f"bulletins alerts test: {result.error}", file=sys.stderr)
    return 0 if result.ok else 1
