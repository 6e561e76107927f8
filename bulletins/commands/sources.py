"""`bulletins sources list | check ID`: the source registry."""

from __future__ import annotations

import argparse

from bulletins.context import Context, UsageError


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("sources", help="the source registry")
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = sub.add_parser("list", help="every configured source")
    listing.add_argument("--all", action="store_true", help="include disabled sources")
    listing.add_argument("--json", dest="sub_json", action="store_true", help="print JSON")
    listing.set_defaults(handler=list_sources)
    check = sub.add_parser(
        "check",
        help="fetch a source's first listing page and article now, and read them",
        description="Fetch each source's first listing page and first article with the "
        "source's own spider, and say what its selectors found: ok, selectors found "
        "nothing, blocked (an anti-bot challenge) or unreachable. Exit status 1 if any "
        "source is not ok.",
    )
    check.add_argument("ids", nargs="*", metavar="ID", help="source ids")
    check.add_argument("--all", action="store_true", help="every enabled source")
    check.add_argument(
        "--timeout",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="hard time limit per source, DNS included (default 20)",
    )
    check.add_argument(
        "--concurrency", type=int, default=8, metavar="N", help="sources checked at once"
    )
    check.add_argument("--json", dest="sub_json", action="store_true", help="print JSON")
    check.set_defaults(handler=check_sources)
    from bulletins.commands import probe

    probe.register(sub)


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


def check_sources(ctx: Context, args: argparse.Namespace) -> int:
    from crawlers.check import check_sources as run_checks
    from crawlers.check import summary_lines

    if args.all and args.ids:
        raise UsageError("give source ids or --all, not both")
    if args.all:
        sources = ctx.config.enabled_sources()
    elif args.ids:
        known = {s.id: s for s in ctx.config.sources}
        unknown = [i for i in args.ids if i not in known]
        if unknown:
            raise UsageError(f"unknown source id(s): {', '.join(unknown)}")
        sources = [known[i] for i in dict.fromkeys(args.ids)]
    else:
        raise UsageError("name the source ids to check, or give --all")
    if args.timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    from crawlers.browser import BrowserOptions
    from crawlers.browser.sync import check_browser

    browser = check_browser(
        BrowserOptions.from_settings(ctx.config.browser.model_dump()), ctx.config.crawl.user_agent
    )
    try:
        results = run_checks(
            sources,
            timeout=args.timeout,
            concurrency=args.concurrency,
            user_agent=ctx.config.crawl.user_agent,
            timezone=ctx.config.timezone,
            browser=browser.fetch if browser is not None else None,
        )
    finally:
        if browser is not None:
            browser.close()
    if ctx.json_output:
        ctx.print_json([r.to_json() for r in results])
    else:
        print("\n".join(summary_lines(results)))
    return 0 if all(r.ok for r in results) else 1
