"""`bulletins serve`: the web pages and the JSON API (read-only), on loopback by default."""

from __future__ import annotations

import argparse
import gc
import ipaddress
import signal
import socket
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from bulletins.context import Context, UsageError


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "serve", help="the web pages and the JSON API (/api/..., /openapi.json)"
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)"
    )
    parser.set_defaults(handler=run)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they
    # are TCP, and without it every keep-alive response waits ~40 ms for an ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _server(app: Any) -> Any:
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn, save that SIGTERM ends the command with status 0 (as it does the
        daemon) once requests in flight are answered; uvicorn re-raises the signal."""

        def handle_exit(self, sig: int, frame: Any) -> None:
            super().handle_exit(sig, frame)
            captured = getattr(self, "_captured_signals", None)
            if sig == signal.SIGTERM and isinstance(captured, list) and sig in captured:
                captured.remove(sig)

    return Server(uvicorn.Config(app, log_level="warning", access_log=False))


def _freeze_heap() -> None:
    """Leave what is loaded by now (the libraries, the app: over a hundred thousand
    objects) out of the garbage collector's full collections. Otherwise each of
    them walks it all, tens of milliseconds of CPU, in the middle of whichever
    request set it off: a series or a page makes thousands of objects, and so
    sets off a full collection every few requests (issue 15: the p95 of both)."""
    gc.collect()
    gc.freeze()


def source_status_provider(ctx: Context) -> Any:
    """What the scheduler knows of each configured source, for /sources and /api/sources."""
    from scheduler.status import source_statuses
    from storage.models import utcnow

    config = ctx.config
    sources = list(config.sources)

    def provide(session: Any) -> Sequence[Mapping[str, Any]]:
        return [s.to_dict() for s in source_statuses(session, sources, config.timezone, utcnow())]

    return provide


def run(ctx: Context, args: argparse.Namespace) -> int:
    from storage.db import Database
    from web import create_app

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port: {args.port} is not a port number")
    if not _is_loopback(args.host):
        print(
            f"bulletins serve: listening on {args.host}, reachable from other machines; "
            "the service has no login (it is read-only)",
            file=sys.stderr,
        )
    db = Database(ctx.config.database, read_only=True)
    app = create_app(db, timezone=ctx.config.timezone, source_status=source_status_provider(ctx))
    sock = _listen(args.host, args.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"Bulletin Watch on http://{shown}:{port}/  (API: http://{shown}:{port}/openapi.json)",
          flush=True)  # fmt: skip
    server = _server(app)
    _freeze_heap()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        db.dispose()
    return 0
