"""The one ad-hoc site the tests share: fixed routes on a real HTTP server on 127.0.0.1.

Tests that need a whole bulletin site use the replica (`replica.ReplicaServer`); tests
that need a few chosen answers (a saved real page, a redirect, a challenge status, a
slow page, a POST list API) put them on a `RouteSite`. Routes are keyed by method and
path (without the query); `resolve` may answer the paths no route names (a site
rendered on the fly). Every request is recorded in `requests`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

HTML = "text/html; charset=utf-8"


@dataclass
class Route:
    body: bytes
    content_type: str = HTML
    status: int = 200
    method: str = "GET"
    delay: float = 0.0  # seconds before the answer
    #: the POST form a route answers (else 400)
    check: Callable[[dict[str, list[str]]], bool] | None = None
    location: str | None = None  # a redirect's target
    together: int = 0  # answer once this many requests for the route are in flight at once


NOT_FOUND = Route(b"<html><body>not found</body></html>", status=404)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128  # not socketserver's 5: a loaded machine's bursts are never refused

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client killed mid-request (a crawl stopped at its time limit): nothing to say


class RouteSite:
    """A threaded HTTP server on 127.0.0.1 answering its routes; a context manager."""

    def __init__(self, resolve: Callable[[str, str], Route | None] | None = None) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.resolve = resolve
        self.requests: list[tuple[str, str, bytes]] = []  # method, path with query, body
        self._lock = threading.Lock()
        self.in_flight = self.most_in_flight = 0
        self._flight = threading.Condition()
        self.server = _Server(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def add(self, path: str, route: Route) -> None:
        self.routes[(route.method, path)] = route

    def route(self, method: str, path: str) -> Route:
        found = self.routes.get((method, path))
        if found is None and self.resolve is not None:
            found = self.resolve(method, path)
        return found or NOT_FOUND

    def paths(self) -> list[str]:
        """The paths requested so far, in order."""
        with self._lock:
            return [path for _method, path, _body in self.requests]

    def start(self) -> RouteSite:
        self._thread.start()
        return self

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> RouteSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wait_together(self, count: int) -> None:
        with self._flight:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            self._flight.notify_all()
            self._flight.wait_for(lambda: self.most_in_flight >= count, timeout=120)
            self.in_flight -= 1

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with site._lock:
                    site.requests.append((method, self.path, body))
                route = site.route(method, urlsplit(self.path).path)
                if route.check is not None and not route.check(parse_qs(body.decode())):
                    self.send_response(400)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.together:
                    site._wait_together(route.together)
                self.send_response(route.status)
                if route.location is not None:
                    self.send_header("Location", route.location)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
