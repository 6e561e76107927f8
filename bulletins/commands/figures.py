"""`bulletins figures list | reextract`: stored figures, and re-running a newer extractor."""

from __future__ import annotations

import argparse
import csv
import sys
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from bulletins.commands.documents import parse_since
from bulletins.context import Context, UsageError
from storage.models import Document, Figure

CSV_FIELDS = (
    "document_id", "source", "published_at", "metric", "value", "unit", "qualifier", "topic",
    "direction", "text", "start", "end",
)  # fmt: skip
CHANGES_SHOWN = 40  # changes listed by `figures reextract` without --json


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("figures", help="stored figures")
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = sub.add_parser("list", help="stored figures, newest documents first")
    listing.add_argument("--source")
    listing.add_argument("--metric", help="one metric of docs/metrics.md")
    listing.add_argument("--topic")
    listing.add_argument("--document", type=int, help="only this document's figures")
    listing.add_argument("--since", help="documents published since YYYY-MM-DD")
    listing.add_argument("--limit", type=int)
    fmt = listing.add_mutually_exclusive_group()
    fmt.add_argument("--json", dest="sub_json", action="store_true", help="print JSON")
    fmt.add_argument("--csv", action="store_true", help="print CSV")
    listing.set_defaults(handler=list_figures)
    again = sub.add_parser("reextract", help="re-run the current extractor over stored documents")
    again.add_argument("--all", action="store_true", help="also documents already up to date")
    again.add_argument("--json", dest="sub_json", action="store_true", help="print JSON")
    again.set_defaults(handler=reextract)


def plain_value(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def figure_dict(fig: Figure, doc: Document) -> dict[str, Any]:
    return {
        "document_id": fig.document_id,
        "source": fig.source_id,
        "published_at": doc.published_at.isoformat() if doc.published_at else None,
        "text": fig.text,
        "start": fig.start,
        "end": fig.end,
        "value": plain_value(fig.value),
        "unit": fig.unit,
        "qualifier": fig.qualifier,
        "metric": fig.metric,
        "topic": fig.topic,
        "direction": fig.direction,
        "extractor_version": fig.extractor_version,
    }


def check_metric(name: str) -> None:
    """A name outside the vocabulary matches nothing, ever: say so, with the valid names."""
    from extraction import METRIC_NAMES

    if name not in METRIC_NAMES:
        raise UsageError(
            f"unknown metric {name!r}; the metrics (docs/metrics.md) are: "
            + ", ".join(METRIC_NAMES)
        )


def list_figures(ctx: Context, args: argparse.Namespace) -> int:
    if args.metric:
        check_metric(args.metric)
    query = (
        select(Figure, Document)
        .join(Document, Document.id == Figure.document_id)
        .order_by(Document.published_at.desc().nulls_last(), Document.id.desc(), Figure.start)
    )
    if args.source:
        query = query.where(Figure.source_id == args.source)
    if args.metric:
        query = query.where(Figure.metric == args.metric)
    if args.topic:
        query = query.where(Figure.topic == args.topic)
    if args.document:
        query = query.where(Figure.document_id == args.document)
    since = parse_since(args.since)
    if since:
        query = query.where(Document.published_at >= since)
    if args.limit:
        query = query.limit(args.limit)
    with ctx.db.session() as session:
        rows = [figure_dict(fig, doc) for fig, doc in session.execute(query)]
    if ctx.json_output:
        ctx.print_json(rows)
    elif args.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    else:
        for row in rows:
            date = (row["published_at"] or "")[:10] or "----------"
            print(
                f"{row['document_id']:>5} {date} {row['metric']:<22} {row['value']:>16,}"
                f" {row['unit']:<9} {row['text']}"
            )
        print(f"{len(rows)} figure(s)")
    return 0


def reextract(ctx: Context, args: argparse.Namespace) -> int:
    from crawlers.reextract import reextract_documents
    from extraction import EXTRACTOR_VERSION

    report = reextract_documents(ctx.db, EXTRACTOR_VERSION, everything=args.all)
    if ctx.json_output:
        ctx.print_json(report.as_dict())
        return 0
    previous = ", ".join(f"v{v}: {n}" for v, n in sorted(report.previous_versions.items()))
    print(
        f"re-extracted {report.documents} document(s) ({previous or 'none'}) with extractor "
        f"v{EXTRACTOR_VERSION}: {report.added} figure(s) added, {report.removed} removed, "
        f"{report.changed} changed, {report.unchanged} unchanged, "
        f"in {report.documents_changed} document(s)"
    )
    for item in report.changes[:CHANGES_SHOWN]:
        print("  " + describe_change(item))
    if len(report.changes) > CHANGES_SHOWN:
        print(f"  ... and {len(report.changes) - CHANGES_SHOWN} more (--json lists them all)")
    return 0


def describe_change(item: Any) -> str:
    """One line: "doc 3 + 10000 case cases_investigated 偵破…1萬餘起", "doc 3 ~ metric
    other -> funds_seized_frozen: 冻结涉案资金约27亿元", "doc 3 - 5 person ..."."""
    if item.change == "changed":
        old, new = item.old, item.new
        diffs = [
            f"{key} {old[key]} -> {new[key]}"
            for key in ("value", "unit", "qualifier", "metric", "direction")
            if old[key] != new[key]
        ]
        return f"doc {item.document_id} ~ {', '.join(diffs)}: {new['text']}"
    fig, mark = (item.new, "+") if item.change == "added" else (item.old, "-")
    return (
        f"doc {item.document_id} {mark} {fig['value']:,} {fig['unit']} {fig['qualifier']} "
        f"{fig['metric']}: {fig['text']}"
    )
