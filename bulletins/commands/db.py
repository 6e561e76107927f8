"""`bulletins db upgrade`: create or upgrade the schema."""

from __future__ import annotations

import argparse

from sqlalchemy.exc import SQLAlchemyError

from bulletins.context import Context
from storage.db import (
    Database,
    DatabaseUnavailable,
    current_revision,
    head_revision,
    unavailable_message,
    upgrade,
)


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("db", help="database schema")
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    sub.add_parser("upgrade", help="create or upgrade the schema to the newest revision")
    parser.set_defaults(handler=run)


def run(ctx: Context, args: argparse.Namespace) -> int:
    database = Database(ctx.config.database, auto_upgrade=False)
    try:
        before = current_revision(database.engine)
        applied = upgrade(database.engine)
        after = current_revision(database.engine)
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(unavailable_message(database.url, exc)) from exc
    finally:
        database.dispose()
    queue = _upgrade_queue(ctx)
    if ctx.json_output:
        ctx.print_json(
            {"before": before, "after": after, "head": head_revision(), "queue_schema": queue}
        )
        return 0
    if applied:
        print(f"upgraded {database.display_url} from {before or 'empty'} to {after}")
    else:
        print(f"already at the newest revision ({after})")
    if queue is not None:
        print(f"queue schema ({QUEUE_SCHEMA_NOTE}): {queue}")
    return 0


QUEUE_SCHEMA_NOTE = "procrastinate"  # the schema `scheduler.queue` uses


def _upgrade_queue(ctx: Context) -> str | None:
    """With ``execution: queue``: procrastinate's schema, created if missing."""
    if ctx.config.execution != "queue":
        return None
    import psycopg

    from scheduler.queue import apply_queue_schema

    try:
        return "created" if apply_queue_schema(ctx.config.database) else "present"
    except psycopg.Error as exc:
        raise DatabaseUnavailable(unavailable_message(ctx.config.database, exc)) from exc
