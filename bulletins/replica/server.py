"""The replica HTTP server: every site under its prefix on one ThreadingHTTPServer.

Pages are rendered to bytes up front and looked up per request. Listing pages
carry ``ETag`` and ``Last-Modified`` and answer conditional GETs with 304; a
listed "hanging" page holds its request until the server stops (at most
`hang_seconds`) without blocking anything else. Admin endpoints let a test in
another process publish and read the request log:

- ``POST /_admin/publish?site=ID&count=N`` -> JSON list of the new article URLs
- ``GET /_admin/log`` -> JSON list of ``{"method", "path", "status"}``
- ``POST /_admin/log/clear``
- ``GET /_admin/sources`` -> JSON of :func:`sources_config` for this server
  (``?browser=1``: with the sites that need a browser)

A site may put a gate (a JavaScript challenge) in front of a path prefix; the gate
answers a request itself or lets it through. With ``bench_articles``, the bench
site is also served behind the 加速乐 challenge under :data:`BENCH_JSL_PREFIX`.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import Message
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

from bulletins.replica.sites import Gate, JslGate, Page, Site, build_sites, sources_config
from bulletins.replica.sites.base import http_date

ADMIN_PREFIX = "/_admin/"
ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"
#: Status logged for a request that got no answer (the hanging page).
NO_ANSWER = 0
#: The bench site's pages behind the 加速乐 challenge (only with bench articles).
BENCH_JSL_PREFIX = "/bench-jsl/"


class LoggedRequest(NamedTuple):
    """One request the server saw (admin requests are not logged)."""

    method: str
    path: str  # with its query string, if any
    status: int  # 0: never answered


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


def _not_found() -> _Reply:
    return _Reply(404, b"<html><body><h1>404 Not Found</h1></body></html>\n")


def _json(value: Any, status: int = 200) -> _Reply:
    return _Reply(status, json.dumps(value, ensure_ascii=False).encode(), "application/json")


def _not_modified(page: Page, headers: Message) -> bool:
    """Whether the client's validators still match `page` (If-None-Match wins)."""
    if page.etag is None or page.last_modified is None:
        return False
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or page.etag in tags
    if_modified_since = headers.get("If-Modified-Since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return page.last_modified.replace(microsecond=0) <= since
    return False


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], replica: ReplicaServer) -> None:
        self.replica = replica
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        try:
            super().finish_request(request, client_address)
        finally:
            with self._open_lock:
                self._open.discard(request)

    def close_connections(self) -> None:
        """Cut the connections still open (idle keep-alives, held requests)."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client hanging up mid-reply is not our error; tests see statuses in the log


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms ACK wait
    server_version = "ReplicaGov/1.0"
    timeout = 60  # idle keep-alive connections are closed after this

    def do_GET(self) -> None:
        self._handle(send_body=True)

    def do_HEAD(self) -> None:
        self._handle(send_body=False)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._handle(send_body=True)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _handle(self, *, send_body: bool) -> None:
        replica = self.server.replica
        reply = replica._answer(self.command, self.path, self.headers)
        if reply is None:  # the hanging page: hold, then drop the connection unanswered
            replica._hold()
            self.close_connection = True
            return
        self.send_response(reply.status)
        if reply.status != 304:
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        if send_body and reply.status != 304:
            self.wfile.write(reply.body)
        replica._log(self.command, self.path, reply.status)


class ReplicaServer:
    """The local replica of the bulletin sites, served from a daemon thread.

    >>> with ReplicaServer() as replica:
    ...     urls = replica.publish("gbk", 2)
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        bench_articles: int = 0,
        hang_seconds: float = 120.0,
    ) -> None:
        self.host = host
        self.port = port
        self.bench_articles = bench_articles
        self.hang_seconds = hang_seconds
        self.sites: dict[str, Site] = build_sites(bench_articles)
        self._lock = threading.Lock()
        self._routes: dict[str, Page] = {}
        for site in self.sites.values():
            self._routes.update(site.pages())
        self._hang_paths = frozenset(p for site in self.sites.values() for p in site.hang_paths)
        # prefix -> (gate, the prefix of the pages it guards)
        self._gates: dict[str, tuple[Gate, str]] = {
            prefix: (gate, prefix)
            for site in self.sites.values()
            for prefix, gate in site.gates().items()
        }
        if bench_articles > 0:
            gate = JslGate("replica-bench-jsl", path=BENCH_JSL_PREFIX)
            self._gates[BENCH_JSL_PREFIX] = (gate, "/bench/")
        self._log_lock = threading.Lock()
        self._requests: list[LoggedRequest] = []
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> ReplicaServer:
        """Bind and serve in a daemon thread; returns self."""
        if self._httpd is not None:
            raise RuntimeError("the replica server is already running")
        self._stopping.clear()
        self._httpd = _HTTPServer((self.host, self.port), self)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"replica-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, release held requests and close open connections."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        httpd.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (known once started)."""
        if self._httpd is None:
            raise RuntimeError("the replica server is not running; call start() first")
        return f"http://{self.host}:{self.port}"

    # -- content ---------------------------------------------------------------------------

    def site(self, site_id: str) -> Site:
        """A site by its id (``gbk``, ``en``, ``f1``, ``bench``) or its source id."""
        site = self.sites.get(site_id.removeprefix("replica-"))
        if site is None:
            raise KeyError(f"unknown replica site {site_id!r} (known: {', '.join(self.sites)})")
        return site

    def publish(self, site_id: str, count: int) -> list[str]:
        """Add `count` new articles at the top of the site's listing; their URLs, top first."""
        base = self.url
        site = self.site(site_id)
        with self._lock:
            added = site.publish(count)
            pages = site.pages()
            self._routes = {**self._routes, **pages}
        return [base + entry.path for entry in added]

    def sources_config(self, *, browser: bool = False) -> list[dict[str, Any]]:
        """The source entries that crawl this running server (`browser`: also the sites
        that need a browser)."""
        return sources_config(self.url, bench_articles=self.bench_articles, browser=browser)

    # -- the request log -------------------------------------------------------------------

    @property
    def requests(self) -> list[LoggedRequest]:
        """A copy of the request log, oldest first."""
        with self._log_lock:
            return list(self._requests)

    def clear_log(self) -> None:
        with self._log_lock:
            self._requests.clear()

    def _log(self, method: str, path: str, status: int) -> None:
        if not path.startswith(ADMIN_PREFIX):
            with self._log_lock:
                self._requests.append(LoggedRequest(method, path, status))

    # -- answering -------------------------------------------------------------------------

    def _hold(self) -> None:
        self._stopping.wait(self.hang_seconds)

    def _answer(self, method: str, target: str, headers: Message) -> _Reply | None:
        parts = urlsplit(target)
        path = parts.path or "/"
        if path.startswith(ADMIN_PREFIX):
            return self._admin(method, path, parse_qs(parts.query))
        if method == "POST":
            return _Reply(405, b"method not allowed\n", "text/plain", (("Allow", "GET, HEAD"),))
        if path in self._hang_paths:
            self._log(method, target, NO_ANSWER)
            return None
        if path == "/robots.txt":
            return _Reply(200, ROBOTS_TXT, "text/plain")
        if path in ("/", "/index.html"):
            return _Reply(200, self._root_page())
        if path.startswith("/private/"):
            return _Reply(200, b"<html><body>private: crawlers must not come here</body></html>\n")
        for prefix, (gate, target) in self._gates.items():
            if path.startswith(prefix):
                challenge = gate.check(method, path, headers)
                if challenge is not None:
                    return _Reply(
                        challenge.status, challenge.body, challenge.content_type, challenge.headers
                    )
                path = target + path.removeprefix(prefix)
                break
        page = self._routes.get(path)
        if page is None:
            return _not_found()
        validators: tuple[tuple[str, str], ...] = ()
        if page.etag is not None and page.last_modified is not None:
            validators = (("ETag", page.etag), ("Last-Modified", http_date(page.last_modified)))
            if _not_modified(page, headers):
                return _Reply(304, headers=validators)
        return _Reply(page.status, page.body, page.content_type, validators + page.headers)

    def _admin(self, method: str, path: str, query: dict[str, list[str]]) -> _Reply:
        if path == "/_admin/log" and method == "GET":
            return _json([entry._asdict() for entry in self.requests])
        if path == "/_admin/log/clear" and method == "POST":
            self.clear_log()
            return _json({"cleared": True})
        if path == "/_admin/sources" and method == "GET":
            return _json(self.sources_config(browser=query.get("browser", ["0"])[0] == "1"))
        if path == "/_admin/publish" and method == "POST":
            site_id = query.get("site", [""])[0]
            try:
                count = int(query.get("count", ["1"])[0])
                return _json(self.publish(site_id, count))
            except KeyError as exc:
                return _json({"error": str(exc.args[0])}, 404)
            except ValueError as exc:
                return _json({"error": f"bad count: {exc}"}, 400)
        return _json({"error": f"no admin endpoint {method} {path}"}, 404)

    def _root_page(self) -> bytes:
        links: Iterable[str] = (
            f'<li><a href="{site.listing_path(1)}">{site.source_id}</a></li>'
            for site in self.sites.values()
        )
        return (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Bulletin replica</title>'
            f"</head>\n<body><h1>Bulletin replica</h1><ul>{''.join(links)}</ul></body></html>\n"
        ).encode()
