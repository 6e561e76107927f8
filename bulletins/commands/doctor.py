"""`bulletins doctor [--network]`: one line per check, `ok` or the problem and its fix.

Exit status 1 when any check found a problem (also an invalid config, reported as
the `config` line after the checks that need no config).
"""

from __future__ import annotations

import argparse

from bulletins.config import ConfigError
from bulletins.context import Context
from bulletins.doctor import Check, check_browser_support, check_main_text, run_checks


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "doctor", help="check the install, Chromium, the database, the config and webhooks"
    )
    parser.add_argument(
        "--network",
        action="store_true",
        help="also resolve webhook host names and send each webhook a test alert",
    )
    parser.set_defaults(handler=run)


def run(ctx: Context, args: argparse.Namespace) -> int:
    problems = 0
    for check in run_checks(ctx.config, network=args.network):
        print(check.line(), flush=True)
        problems += not check.ok
    if problems:
        print(f"doctor: {problems} problem(s)")
    return 1 if problems else 0


def config_failed(error: ConfigError) -> int:
    """`doctor` with a config that does not load: the checks that need none, then it."""
    checks = [check_main_text(), check_browser_support()]
    problem = "; ".join(str(error).splitlines())
    checks.append(Check("config", problem, "correct the file, or install what it names"))
    for check in checks:
        print(check.line())
    return 1
