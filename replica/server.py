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
- ``GET /_admin/other-log`` -> ``{"url", "connections", "requests"}`` of the other host

The hostile site (:mod:`.sites.hostile`) is rendered once the server is bound, since
its pages point at this server, at "the other host" and at a local file. With
`other_host` (e.g. ``127.0.0.2``) the server also listens there, on a port of its
own, and counts every connection it accepts there: a crawler that keeps to its
source's host never connects to it. Without it, the hostile pages point the other
host at a port nothing listens on.

A site may put a gate (a JavaScript challenge) in front of a path prefix; the gate
answers a request itself or lets it through. With ``bench_articles``, the bench
site is also served behind the 加速乐 challenge under :data:`BENCH_JSL_PREFIX`.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Iterable
from email.message import Message
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

from replica.listener import (
    NO_ANSWER as NO_ANSWER,  # the status logged for a request never answered
)
from replica.listener import (
    ListenerServer,
    Reply,
    json_reply,
    not_found,
    not_modified,
)
from replica.sites import Gate, JslGate, Page, Site, build_sites, sources_config
from replica.sites.base import http_date
from replica.sites.hostile import HostileUrls, hostile_pages, write_local_listing

ADMIN_PREFIX = "/_admin/"
ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"
#: The bench site's pages behind the 加速乐 challenge (only with bench articles).
BENCH_JSL_PREFIX = "/bench-jsl/"
#: Where the hostile pages put "the other host" when the server does not listen there.
UNSERVED_OTHER_URL = "http://127.0.0.2:9"


class LoggedRequest(NamedTuple):
    """One request the server saw (admin requests are not logged)."""

    method: str
    path: str  # with its query string, if any
    status: int  # 0: never answered


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
        other_host: str | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.other_host = other_host
        self.other_port = 0
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
        self._other_requests: list[LoggedRequest] = []
        self._other_connections = 0
        self._stopping = threading.Event()
        self._httpd: ListenerServer | None = None
        self._other_httpd: ListenerServer | None = None
        self._threads: list[threading.Thread] = []
        self._local_dir: Path | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> ReplicaServer:
        """Bind and serve in daemon threads; returns self."""
        if self._httpd is not None:
            raise RuntimeError("the replica server is already running")
        self._stopping.clear()
        self._httpd = ListenerServer((self.host, self.port), self)
        self.port = self._httpd.server_address[1]
        servers = [self._httpd]
        if self.other_host:
            self._other_httpd = ListenerServer((self.other_host, 0), self, other=True)
            self.other_port = self._other_httpd.server_address[1]
            servers.append(self._other_httpd)
        self._render_hostile()
        for httpd, port in zip(servers, (self.port, self.other_port), strict=False):
            thread = threading.Thread(
                target=httpd.serve_forever,
                kwargs={"poll_interval": 0.1},
                name=f"replica-{port}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Stop serving, release held requests and close open connections."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        other, self._other_httpd = self._other_httpd, None
        self._stopping.set()
        for server in (httpd, other):
            if server is not None:
                server.shutdown()
                server.server_close()
                server.close_connections()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []
        if self._local_dir is not None:
            shutil.rmtree(self._local_dir, ignore_errors=True)
            self._local_dir = None

    def _render_hostile(self) -> None:
        """The hostile pages point at this server, the other host and a local file."""
        self._local_dir = Path(tempfile.mkdtemp(prefix="replica-hostile-"))
        urls = HostileUrls(self.url, self.other_url, self._local_dir)
        write_local_listing(urls)
        with self._lock:
            self._routes = {**self._routes, **hostile_pages(urls)}

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

    @property
    def other_url(self) -> str:
        """``http://127.0.0.2:PORT`` of the other host (nothing listens there unless
        the server was given `other_host`)."""
        if self._httpd is None:
            raise RuntimeError("the replica server is not running; call start() first")
        if not self.other_host:
            return UNSERVED_OTHER_URL
        host = f"[{self.other_host}]" if ":" in self.other_host else self.other_host
        return f"http://{host}:{self.other_port}"

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

    @property
    def other_requests(self) -> list[LoggedRequest]:
        """A copy of the other host's request log, oldest first."""
        with self._log_lock:
            return list(self._other_requests)

    @property
    def other_connections(self) -> int:
        """Connections the other host's listener accepted (requests or not)."""
        with self._log_lock:
            return self._other_connections

    def clear_log(self) -> None:
        with self._log_lock:
            self._requests.clear()
            self._other_requests.clear()
            self._other_connections = 0

    def _log(self, method: str, path: str, status: int, *, other: bool = False) -> None:
        if not path.startswith(ADMIN_PREFIX):
            with self._log_lock:
                log = self._other_requests if other else self._requests
                log.append(LoggedRequest(method, path, status))

    def _count_other_connection(self) -> None:
        with self._log_lock:
            self._other_connections += 1

    # -- answering -------------------------------------------------------------------------

    def _hold(self) -> None:
        self._stopping.wait(self.hang_seconds)

    def _answer(self, method: str, target: str, headers: Message) -> Reply | None:
        parts = urlsplit(target)
        path = parts.path or "/"
        if path.startswith(ADMIN_PREFIX):
            return self._admin(method, path, parse_qs(parts.query))
        if method == "POST":
            return Reply(405, b"method not allowed\n", "text/plain", (("Allow", "GET, HEAD"),))
        if path in self._hang_paths:
            return None
        if path == "/robots.txt":
            return Reply(200, ROBOTS_TXT, "text/plain")
        if path in ("/", "/index.html"):
            return Reply(200, self._root_page())
        if path.startswith("/private/"):
            return Reply(200, b"<html><body>private: crawlers must not come here</body></html>\n")
        for prefix, (gate, target) in self._gates.items():
            if path.startswith(prefix):
                challenge = gate.check(method, path, headers)
                if challenge is not None:
                    return Reply(
                        challenge.status, challenge.body, challenge.content_type, challenge.headers
                    )
                path = target + path.removeprefix(prefix)
                break
        page = self._routes.get(path)
        if page is None:
            return not_found()
        validators: tuple[tuple[str, str], ...] = ()
        if page.etag is not None and page.last_modified is not None:
            validators = (("ETag", page.etag), ("Last-Modified", http_date(page.last_modified)))
            if not_modified(page, headers):
                return Reply(304, headers=validators)
        return Reply(page.status, page.body, page.content_type, validators + page.headers)

    def _admin(self, method: str, path: str, query: dict[str, list[str]]) -> Reply:
        if path == "/_admin/log" and method == "GET":
            return json_reply([entry._asdict() for entry in self.requests])
        if path == "/_admin/log/clear" and method == "POST":
            self.clear_log()
            return json_reply({"cleared": True})
        if path == "/_admin/other-log" and method == "GET":
            return json_reply(
                {
                    "url": self.other_url,
                    "connections": self.other_connections,
                    "requests": [entry._asdict() for entry in self.other_requests],
                }
            )
        if path == "/_admin/sources" and method == "GET":
            return json_reply(self.sources_config(browser=query.get("browser", ["0"])[0] == "1"))
        if path == "/_admin/publish" and method == "POST":
            site_id = query.get("site", [""])[0]
            try:
                count = int(query.get("count", ["1"])[0])
                return json_reply(self.publish(site_id, count))
            except KeyError as exc:
                return json_reply({"error": str(exc.args[0])}, 404)
            except ValueError as exc:
                return json_reply({"error": f"bad count: {exc}"}, 400)
        return json_reply({"error": f"no admin endpoint {method} {path}"}, 404)

    def _root_page(self) -> bytes:
        links: Iterable[str] = (
            f'<li><a href="{site.listing_path(1)}">{site.source_id}</a></li>'
            for site in self.sites.values()
        )
        return (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Bulletin replica</title>'
            f"</head>\n<body><h1>Bulletin replica</h1><ul>{''.join(links)}</ul></body></html>\n"
        ).encode()
