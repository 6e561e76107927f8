"""`bulletins extract FILE|-`: the figures of one text or HTML file, stored nowhere."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from w3lib.encoding import html_to_unicode

from bulletins.context import Context, UsageError
from crawlers.text import looks_like_html, main_text_auto


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("extract", help="figures of one text or HTML file (- for stdin)")
    parser.add_argument("file", metavar="FILE|-")
    parser.add_argument("--language", choices=("zh", "en"), help="default: detected")
    parser.add_argument("--json", dest="sub_json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def read_text(name: str) -> str:
    """Decode a file the way a browser would: BOM, then HTML meta charset, then UTF-8."""
    if name == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(name).read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {name}: {exc.strerror}") from None
    _encoding, text = html_to_unicode(None, data)
    if looks_like_html(text):
        return main_text_auto(text)
    return text


def run(ctx: Context, args: argparse.Namespace) -> int:
    from extraction import extract_figures

    # Past extraction.MAX_TEXT_CHARS, figures are read from the head of the text only,
    # and the extractor's warning says so on stderr.
    text = read_text(args.file)
    figures = [f.to_dict() for f in extract_figures(text, args.language)]
    if ctx.json_output:
        ctx.print_json(figures)
        return 0
    if not figures:
        print("no figures found")
    for fig in figures:
        change = {"up": "+", "down": "-"}.get(fig["direction"] or "", " ")
        print(
            f"{change}{fig['value']:>15,} {fig['unit']:<10} {fig['qualifier']:<10} "
            f"{fig['metric']:<22} {fig['text']}"
        )
    return 0
