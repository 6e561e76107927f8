"""The webhook receiver on loopback: an http.server in a thread that records requests.

The one receiver of the demo (`bulletins demo` shows the alerts arriving), the tests
and the benchmarks. Every request is recorded (time, path, query, headers, body);
when a secret is given, its Standard Webhooks signature is checked with the
independent `standardwebhooks` package (a test dependency: the demo gives none). A
`responder(request, nth)` chooses the answer (status, delay) from the request and
how many times its webhook-id came before. `DripReceiver` answers a byte at a time,
for the send deadline's tests.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Received:
    at: float  # time.monotonic()
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    status: int = 0
    verified: bool | None = None
    answered: bool = False
    received_at: float = field(default_factory=time.time)  # wall clock, to compare with rows

    @property
    def msg_id(self) -> str:
        return self.headers.get("webhook-id", "")

    @property
    def json(self) -> Any:
        """The body as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None


class _QuietServer(ThreadingHTTPServer):
    request_queue_size = 128  # not socketserver's 5: concurrent deliveries are never refused
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and left is part of the tests


Responder = Callable[[Received, int], tuple[int, float]]


def always_ok(_request: Received, _nth: int) -> tuple[int, float]:
    return 200, 0.0


class WebhookReceiver:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        secret: str | None = None,
        responder: Responder = always_ok,
        body: bytes = b'{"ok":true}',
    ) -> None:
        self.host = host
        self.port = port
        self.secret = secret
        self.responder = responder
        self.response_body = body
        self.requests: list[Received] = []
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------
    def start(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body leave at once

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                parts = urlsplit(self.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                request = Received(time.monotonic(), parts.path, parts.query, headers, body)
                if receiver.secret is not None:
                    from standardwebhooks.webhooks import Webhook, WebhookVerificationError

                    try:
                        Webhook(receiver.secret).verify(body, headers)
                        request.verified = True
                    except WebhookVerificationError:
                        request.verified = False
                with receiver.lock:
                    nth = sum(1 for r in receiver.requests if r.msg_id == request.msg_id)
                    receiver.requests.append(request)
                status, delay = receiver.responder(request, nth)
                if request.verified is False:
                    status, delay = 400, 0.0  # as a real receiver would (e.g. a truncated body)
                request.status = status
                if delay:
                    time.sleep(delay)
                payload = receiver.response_body
                try:
                    self.send_response(status)
                    if 300 <= status < 400:
                        self.send_header("Location", f"http://127.0.0.1:{receiver.port}/moved")
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    self.wfile.flush()
                    request.answered = True
                except OSError:
                    pass

            do_GET = do_POST

        self.server = _QuietServer((self.host, self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/hook"

    # --- what arrived ------------------------------------------------------
    def snapshot(self) -> list[Received]:
        with self.lock:
            return list(self.requests)

    @property
    def received(self) -> list[Received]:
        """The requests so far (a copy)."""
        return self.snapshot()

    def acked(self) -> list[str]:
        """webhook-ids of the requests answered 2xx."""
        return [r.msg_id for r in self.snapshot() if 200 <= r.status < 300]

    def attempts_by_id(self) -> dict[str, list[Received]]:
        result: dict[str, list[Received]] = {}
        for r in self.snapshot():
            result.setdefault(r.msg_id, []).append(r)
        return result

    def ack_counts(self) -> Counter[str]:
        return Counter(self.acked())


class DripReceiver:
    """A receiver that answers very slowly: one byte every `every` seconds.

    ``part="body"`` sends the status line and headers at once, then the body a byte
    at a time; ``part="headers"`` drips the status line and headers too. It records
    every POST and, per connection, how many bytes it got out before the client
    hung up (`hung_up`), or that it finished dripping (`finished`).
    """

    def __init__(
        self,
        *,
        part: str = "body",
        every: float = 0.1,
        size: int = 200,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.tls = tls
        self.part = part
        self.every = every
        self.size = size
        self.posts: list[str] = []  # webhook-id of each POST
        self.hung_up: list[int] = []
        self.finished = 0
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> DripReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                with receiver.lock:
                    receiver.posts.append(self.headers.get("webhook-id", ""))
                body = b"x" * receiver.size
                head = (
                    f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n"
                    f"X-Padding: {'p' * receiver.size}\r\n\r\n"
                ).encode()
                if receiver.part == "body":
                    self.wfile.write(head)
                    dripped = body
                else:
                    dripped = head + body
                sent = 0
                try:
                    self.wfile.flush()
                    for byte in dripped:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        sent += 1
                        time.sleep(receiver.every)
                except OSError:
                    with receiver.lock:
                        receiver.hung_up.append(sent)
                    return
                with receiver.lock:
                    receiver.finished += 1

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if self.tls is not None:
            self.server.socket = self.tls.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT/slow``, or with TLS ``https://localhost:PORT/slow``."""
        assert self.server is not None
        port = self.server.server_address[1]
        if self.tls is not None:
            return f"https://localhost:{port}/slow"
        return f"http://127.0.0.1:{port}/slow"

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
