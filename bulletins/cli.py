"""The `bulletins` command line.

Exit status: 0 when the work was done (also when nothing was new), 1 when some
of it failed (the rest still done and kept) or the database cannot be opened
(one line), 2 for a usage or configuration error (a bad database URL included).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from bulletins.commands import COMMAND_MODULES
from bulletins.config import ConfigError, load_config
from bulletins.context import Context, UsageError
from bulletins.logs import configure_logging
from scheduler.queue import QueueUnavailable
from storage.db import DatabaseUnavailable, DatabaseUrlError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bulletins",
        description="Watch official bulletins, store each release once, extract its figures, "
        "and alert webhooks.",
    )
    parser.add_argument("--config", metavar="FILE", help="YAML config (default: $BULLETINS_CONFIG)")
    parser.add_argument("--db", metavar="URL", help="database URL (overrides the config)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a summary")
    parser.add_argument("--log-level", default=os.environ.get("BULLETINS_LOG_LEVEL", "WARNING"))
    parser.add_argument("--log-format", choices=("text", "json"), default="text")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"bulletins.commands.{name}")
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.log_level, args.log_format)
    try:
        config = load_config(args.config, database=args.db)
    except ConfigError as exc:
        if args.command == "doctor":  # a bad config is one of its findings
            from bulletins.commands.doctor import config_failed

            return config_failed(exc)
        print(f"bulletins: configuration error:\n{exc}", file=sys.stderr)
        return 2
    ctx = Context(config=config, json_output=bool(args.json or getattr(args, "sub_json", False)))
    try:
        return int(args.handler(ctx, args))
    except UsageError as exc:
        print(f"bulletins {args.command}: {exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"bulletins: configuration error:\n{exc}", file=sys.stderr)
        return 2
    except DatabaseUrlError as exc:
        print(f"bulletins: configuration error:\n{exc}", file=sys.stderr)
        return 2
    except QueueUnavailable as exc:
        print(f"bulletins: configuration error:\n{exc}", file=sys.stderr)
        return 2
    except DatabaseUnavailable as exc:
        print(f"bulletins: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        ctx.close()
        logging.shutdown()


if __name__ == "__main__":
    sys.exit(main())
