"""`bulletins worker`: run queued crawls and deliveries (``execution: queue``).

Any number of workers, on any machines, share one PostgreSQL: each takes jobs,
runs them on its own warm pool and enqueues what is due (each tick once across
all of them). See `scheduler.queue_worker`.
"""

from __future__ import annotations

import argparse

from bulletins.config import AppConfig, ConfigError, load_config, require_queue_mode
from bulletins.context import Context, UsageError


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "worker",
        help="take crawl and delivery jobs from the PostgreSQL queue (execution: queue)",
        description="Take crawl and delivery jobs from the queue on the configured "
        "PostgreSQL and run them on a pool of warm crawl workers; also enqueue every "
        "source when it is due. Needs `execution: queue`. SIGHUP re-reads the config; "
        "SIGTERM stops taking jobs and lets running crawls end (daemon.grace_period).",
    )
    parser.add_argument(
        "--concurrency", type=int, default=4, metavar="N",
        help="crawls this worker runs at once (default 4)",
    )
    parser.set_defaults(handler=run)


def run(ctx: Context, args: argparse.Namespace) -> int:

    if args.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    require_queue_mode(ctx.config, "worker")
    from bulletins.commands.scheduling import worker_log_level
    from scheduler.daemon_config import InvalidConfig
    from scheduler.queue_worker import QueueWorker

    path = ctx.config.path.resolve() if ctx.config.path else None

    def reload() -> AppConfig:
        try:
            config = load_config(path, database=args.db)
            require_queue_mode(config, "worker")
        except ConfigError as exc:
            raise InvalidConfig(str(exc)) from None
        return config

    worker = QueueWorker(
        ctx.config,
        concurrency=args.concurrency,
        reload=reload if path is not None else None,
        log_level=args.log_level,
        crawl_log_level=worker_log_level(args.log_level),
    )
    return worker.run()
