"""`bulletins db upgrade`: create or upgrade the schema."""

from __future__ import annotations

import argparse

from bulletins.context import Context
from storage.db import Database, current_revision, head_revision, upgrade


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
    finally:
        database.dispose()
    if ctx.json_output:
        ctx.print_json({"before": before, "after": after, "head": head_revision()})
    elif applied:
        print(f"upgraded {database.url.split('@')[-1]} from {before or 'empty'} to {after}")
    else:
        print(f"already at the newest revision ({after})")
    return 0
