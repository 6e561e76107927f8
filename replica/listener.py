"""The replica's HTTP plumbing: a threading server that can cut its open
connections, and the handler that asks the replica for each answer."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from dataclasses import dataclass
from email.message import Message
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from replica.sites import Page

#: Status logged for a request that got no answer (the hanging page).
NO_ANSWER = 0


class Answering(Protocol):
    """What the handler needs of the replica."""

    def _answer(self, method: str, target: str, headers: Message) -> Reply | None: ...

    def _log(self, method: str, path: str, status: int, *, other: bool = False) -> None: ...

    def _hold(self) -> None: ...

    def _count_other_connection(self) -> None: ...


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


def not_found() -> Reply:
    return Reply(404, b"<html><body><h1>404 Not Found</h1></body></html>\n")


def json_reply(value: Any, status: int = 200) -> Reply:
    return Reply(status, json.dumps(value, ensure_ascii=False).encode(), "application/json")


def not_modified(page: Page, headers: Message) -> bool:
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


class ListenerServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], replica: Answering, *, other: bool = False
    ) -> None:
        self.replica = replica
        self.other = other  # the "other host" listener: every connection is counted
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, ReplicaHandler)

    def verify_request(self, request: Any, client_address: Any) -> bool:
        if self.other:
            self.replica._count_other_connection()
        return True

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


class ReplicaHandler(BaseHTTPRequestHandler):
    server: ListenerServer
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
            replica._log(self.command, self.path, NO_ANSWER, other=self.server.other)
            replica._hold()
            self.close_connection = True
            return
        # Logged before the answer goes out: a client that has read it sees it logged.
        replica._log(self.command, self.path, reply.status, other=self.server.other)
        self.send_response(reply.status)
        if reply.status != 304:
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        if send_body and reply.status != 304:
            self.wfile.write(reply.body)
