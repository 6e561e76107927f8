"""`bulletins sources list | check ID`: the source registry."""

from __future__ import annotations

import argparse

from bulletins.context import Context


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("sources", help="the source registry")
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = sub.add_parser("list", help="every configured source")
    listing.add_argument("--all", action="store_true", help="include disabled sources")
    listing.add_argument("--json", dest="sub_json", action="store_true", help="print JSON")
    listing.set_defaults(handler=list_sources)


def list_sources(ctx: Context, args: argparse.Namespace) -> int:
    sources = ctx.config.sources if args.all else ctx.config.enabled_sources()
    if ctx.json_output:
        ctx.print_json([s.model_dump(mode="json") for s in sources])
        return 0
    for s in sources:
        state = "" if s.enabled else "  (disabled)"
        print(f"{s.id:<20} {s.level:<10} {s.language}  {s.schedule:<16} {s.name}{state}")
    print(f"{len(sources)} source(s)")
    return 0
