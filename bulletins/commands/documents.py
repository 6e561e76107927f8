"""`bulletins documents list`: stored documents."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from bulletins.context import Context, UsageError
from storage import repository
from storage.models import Document


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("documents", help="stored documents")
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = sub.add_parser("list", help="list stored documents, newest first")
    listing.add_argument("--source", help="only documents seen at this source")
    listing.add_argument("--since", help="only documents stored since this date (YYYY-MM-DD)")
    listing.add_argument("--limit", type=int, default=None)
    listing.add_argument("--json", dest="sub_json", action="store_true", help="print JSON")
    listing.set_defaults(handler=list_documents)


def document_dict(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "source": doc.source_id,
        "title": doc.title,
        "url": doc.url,
        "published_at": doc.published_at.isoformat() if doc.published_at else None,
        "language": doc.language,
        "topic": doc.topic,
        "content_hash": doc.content_hash,
        "previous_id": doc.previous_id,
        "created_at": doc.created_at.isoformat(),
        "chars": len(doc.text),
        "sightings": [
            {
                "url": s.url,
                "source": s.source_id,
                "first_seen": s.first_seen.isoformat(),
                "last_seen": s.last_seen.isoformat(),
                "current": s.current,
            }
            for s in doc.sightings
        ],
    }


def parse_since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--since: not a date: {value!r} (use YYYY-MM-DD)") from None
    if parsed.tzinfo is None:
        from zoneinfo import ZoneInfo

        parsed = parsed.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    return parsed


def list_documents(ctx: Context, args: argparse.Namespace) -> int:
    since = parse_since(args.since)
    with ctx.db.session() as session:
        docs = repository.list_documents(session, source=args.source, since=since, limit=args.limit)
        rows = [document_dict(d) for d in docs]
    if ctx.json_output:
        ctx.print_json(rows)
        return 0
    if not rows:
        print("no documents stored yet")
        return 0
    for row in rows:
        date = (row["published_at"] or "")[:10] or "----------"
        seen = len(row["sightings"])
        extra = f" (seen at {seen} URLs)" if seen > 1 else ""
        print(f"{row['id']:>5}  {date}  {row['source']:<16} {row['title'][:60]}{extra}")
    print(f"{len(rows)} document(s)")
    return 0
