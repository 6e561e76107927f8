"""``python -m replica [--host H] [--port N] [--bench-articles N] [--other-host H]``.

Prints ``REPLICA_URL=http://127.0.0.1:PORT`` on stdout (with ``--other-host``, then
``REPLICA_OTHER_URL=http://127.0.0.2:PORT``), then serves until SIGTERM or SIGINT and
exits 0.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from replica.server import ReplicaServer


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m replica", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 (default): any free port")
    parser.add_argument(
        "--bench-articles",
        type=int,
        default=0,
        metavar="N",
        help="also serve the bench site with N articles",
    )
    parser.add_argument(
        "--hang-seconds",
        type=float,
        default=120.0,
        help="how long the hanging page holds a request (default 120)",
    )
    parser.add_argument(
        "--other-host",
        default=None,
        metavar="H",
        help="also listen on this (loopback) address: the hostile site's other host",
    )
    args = parser.parse_args(argv)

    done = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    server = ReplicaServer(
        args.host,
        args.port,
        bench_articles=args.bench_articles,
        hang_seconds=args.hang_seconds,
        other_host=args.other_host,
    )
    server.start()
    try:
        print(f"REPLICA_URL={server.url}", flush=True)
        if args.other_host:
            print(f"REPLICA_OTHER_URL={server.other_url}", flush=True)
        while not done.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
