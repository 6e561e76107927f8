"""`bulletins demo`: the whole pipeline against a local replica site."""

from __future__ import annotations

import argparse
from pathlib import Path

from bulletins.context import Context


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("demo", help="the whole pipeline against a local replica site")
    parser.add_argument(
        "--dir", default="demo-data", type=Path, help="where the demo keeps its files"
    )
    parser.set_defaults(handler=run)


def run(ctx: Context, args: argparse.Namespace) -> int:
    from bulletins.demo import run_demo

    return run_demo(args.dir)
