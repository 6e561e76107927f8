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
    if ctx.json_output:
        ctx.print_json({"before": before, "after": after, "head": head_revision()})
    elif applied:
        print(f"upgraded {database.display_url} from {before or 'empty'} to {after}")
    else:
        print(f"already at the newest revision ({after})")
    return 0
