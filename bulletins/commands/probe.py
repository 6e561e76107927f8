"""`bulletins sources probe URL [--file PATH] [--as listing|article]`: what a page holds,
found with no selectors, and a source block ready to paste into the config."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path
from typing import Any

from bulletins.context import Context, UsageError


def register(sub: argparse._SubParsersAction) -> None:
    probe = sub.add_parser(
        "probe",
        help="read a page with no selectors: its articles or its parts, and a source block",
        description="Fetch URL (or read PATH, with URL as its address), decide whether it is "
        "a listing or an article (or as told by --as), and show what was found with no "
        "selectors: a listing's items, next page and lists with their headings, the "
        "selectors that reproduce them and a source block ready to paste into the config; "
        "an article's title, date and main text. Exit status 1 when nothing was found.",
    )
    probe.add_argument("url", metavar="URL", help="the page's address (http or https)")
    probe.add_argument("--file", metavar="PATH", help="read the page from PATH instead")
    probe.add_argument("--as", dest="kind", choices=("listing", "article"),
                       help="read the page as this kind instead of deciding")
    probe.add_argument("--timeout", type=float, default=20.0, metavar="SECONDS",
                       help="time limit of the fetch (default 20)")
    probe.add_argument("--json", dest="sub_json", action="store_true", help="print JSON")
    probe.set_defaults(handler=run)


def _read(args: argparse.Namespace, ctx: Context) -> tuple[str, str]:
    from crawlers.detect.decode import decode_html
    from crawlers.detect.fetch import fetch_page

    if not args.url.lower().startswith(("http://", "https://")):
        raise UsageError(f"URL must be an http:// or https:// address, not {args.url!r}")
    if args.timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    if args.file:
        try:
            data = Path(args.file).read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {args.file}: {exc.strerror}") from None
        return decode_html(data)[0], args.url
    fetched = fetch_page(args.url, timeout=args.timeout, user_agent=ctx.config.crawl.user_agent)
    return fetched.text, fetched.url


def run(ctx: Context, args: argparse.Namespace) -> int:
    from crawlers.detect.fetch import FetchError
    from crawlers.detect.probe import probe, script_family

    try:
        html, url = _read(args, ctx)
    except FetchError as exc:
        print(f"bulletins sources probe: {exc}", file=sys.stderr)
        return 1
    result = probe(html, url, args.kind, ctx.config.timezone)
    found = bool(result["items"]) if result["kind"] == "listing" else bool(result["body"])
    family = script_family(html) if result["kind"] == "listing" else None
    if result["kind"] == "listing" and not result["items"]:
        result["note"] = (
            f"the list is not in the page's HTML: it is loaded by script ({family} family); "
            "the source block names the family whose spider reads it"
            if family
            else "no article list found in the page's HTML"
        )
    if ctx.json_output:
        ctx.print_json(result)
    else:
        print("\n".join(human(result, url)))
    return 0 if found or family else 1


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text: str, width: int) -> str:
    out, used = "", 0
    for char in text:
        w = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used + w > width - 1:
            return out + "…"
        out, used = out + char, used + w
    return out + " " * (width - used)


def human(result: dict[str, Any], url: str) -> list[str]:
    if result["kind"] == "article":
        body = result["body"] or ""
        lines = [
            f"article  {url}",
            f"title:  {result['title'] or '(none found)'}",
            f"date:   {result['date'] or '(none found)'}"
            + (f"  (from {result['date_from']})" if result.get("date_from") else ""),
            f"body:   {len(body):,} characters"
            + (f"  (selector {result['selectors']['body']})" if "body" in result["selectors"]
               else "  (found by trafilatura)"),
        ]
        lines += ["", *("  " + line for line in body.split("\n")[:6])]
        if body.count("\n") > 6:
            lines.append("  …")
        return lines
    items = result["items"]
    lines = [f"listing  {url}", ""]
    if items:
        lines.append(f"  {'#':>3}  {'date':<10}  {_cut('title', 50)}  url")
        for number, item in enumerate(items, 1):
            lines.append(
                f"  {number:>3}  {item['date'] or '-':<10}  {_cut(item['title'] or '-', 50)}  "
                f"{item['url']}"
            )
    else:
        lines.append(f"  {result.get('note', 'no items found')}")
    lines += ["", f"{len(items)} item(s); next page: {result['next_page'] or 'none'}"]
    if result["lists"]:
        lines.append("lists on the page:")
        for lst in result["lists"]:
            where = "" if lst.get("in_items", True) else "  (not among the items)"
            off = "  (other sites)" if lst.get("offsite") else ""
            lines.append(f"  {lst['heading'] or '(no heading)'}: {lst['count']}{off}{where}")
    lines += ["", "Source block (paste under `sources:` in your config, then crawl it):", ""]
    lines += result["config"].rstrip("\n").split("\n")
    return lines
