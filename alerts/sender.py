"""Sending one prepared request through the network guard.

The host is resolved once, every address is checked (`alerts.guard`), and the
connection is made to a checked address: the URL is rewritten to the IP, the
Host header keeps the name, and for HTTPS the ``sni_hostname`` extension keeps
TLS (SNI and certificate verification) on the name. If connecting to one
address is refused, the next checked one is tried. Redirects are not followed;
proxies from the environment are ignored (a proxy would connect on our behalf,
past the guard). Each webhook has its own client, so pooled connections (and
their TLS sessions) are never shared between two host names.

The webhook's `timeout` bounds the whole send, from resolving the host to the
last byte of the answer read (`alerts.transport`): a receiver that drips its
answer is cut off there, and an answer not complete by then is a failed attempt.

Nothing here logs a URL: a webhook URL is a credential (a token in its path or
query, DingTalk's `sign`). httpx logs each request's full URL at INFO and
httpcore its traffic at DEBUG, so a `Sender` sets both loggers to WARNING.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import parse_qsl, urlsplit

import httpx

from alerts.config import WebhookConfig
from alerts.exceptions import AddressRefused, ResolutionFailed
from alerts.guard import resolve_checked
from alerts.outgoing import Outgoing, response_error
from alerts.target import parse_target, redact
from alerts.transport import DeadlineTransport, send_deadline

log = logging.getLogger(__name__)

MAX_BODY = 4096
RESOLVE_TTL = 30.0
QUIET_LOGGERS = ("httpx", "httpcore")
TOKEN_LENGTH = 12  # query values and path segments this long are treated as tokens


@dataclass(frozen=True)
class SendResult:
    ok: bool
    status_code: int | None = None
    error: str | None = None
    body: str = ""
    duration_ms: int = 0
    refused: bool = False
    address: str | None = None


def scrub(text: str, webhook: WebhookConfig, outgoing: Outgoing | None = None) -> str:
    """Remove the URL (a token may be in its path, query or user info) and the secret."""
    urls = [webhook.url] if outgoing is None else [outgoing.url, webhook.url]
    secrets = list(urls)
    for url in urls:
        try:
            parsed = urlsplit(url)
        except ValueError:
            parsed = None
        if parsed is not None:
            secrets += [parsed.query, parsed.path if len(parsed.path) > 1 else ""]
            secrets.append(parsed.password or "")
            # Each token on its own, should a message quote only one of them.
            secrets += [v for _k, v in parse_qsl(parsed.query) if len(v) >= TOKEN_LENGTH]
            secrets += [p for p in parsed.path.split("/") if len(p) >= TOKEN_LENGTH]
    if webhook.secret is not None:
        secrets.append(webhook.secret.get_secret_value())
    for secret in sorted(filter(None, secrets), key=len, reverse=True):
        text = text.replace(secret, "***")
    for url in urls:
        text = redact(text, url)
    return text


def quiet_http_logs() -> None:
    """Keep httpx and httpcore below INFO: their request lines carry the webhook URL."""
    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)


class Sender:
    """Sends prepared requests; thread-safe; one httpx client per webhook."""

    def __init__(
        self, *, max_body: int = MAX_BODY, transport: httpx.BaseTransport | None = None
    ) -> None:
        """`transport`: what carries the requests (tests pass an `httpx.MockTransport`);
        by default a `DeadlineTransport` per webhook."""
        quiet_http_logs()
        self.max_body = max_body
        self._transport = transport
        self._clients: dict[str, httpx.Client] = {}
        self._addresses: dict[tuple[str, str, int, bool], tuple[float, list[str]]] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> Sender:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            client.close()

    def _client(self, webhook: WebhookConfig) -> httpx.Client:
        with self._lock:
            client = self._clients.get(webhook.id)
            if client is None:
                limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
                client = httpx.Client(
                    timeout=httpx.Timeout(webhook.timeout),
                    follow_redirects=False,
                    trust_env=False,
                    transport=self._transport or DeadlineTransport(limits),
                )
                self._clients[webhook.id] = client
            return client

    def _resolve(self, webhook: WebhookConfig, host: str, port: int) -> list[str]:
        key = (webhook.id, host, port, webhook.allow_private_network)
        with self._lock:
            cached = self._addresses.get(key)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        addresses = resolve_checked(
            webhook.id, host, port, allow_private=webhook.allow_private_network
        )
        with self._lock:
            self._addresses[key] = (time.monotonic() + RESOLVE_TTL, addresses)
        return addresses

    def send(self, webhook: WebhookConfig, outgoing: Outgoing) -> SendResult:
        """POST `outgoing` to `webhook`; never raises: every failure is a failed result."""
        started = time.monotonic()
        try:
            with send_deadline(webhook.timeout):
                return self._send(webhook, outgoing, started)
        except Exception as exc:  # a bug or an unforeseen input fails this send only
            message = scrub(f"{type(exc).__name__}: {exc}", webhook, outgoing)
            return SendResult(
                False,
                error=f"webhook {webhook.id!r}: unexpected error: {message}",
                duration_ms=_ms(started),
            )

    def _send(self, webhook: WebhookConfig, outgoing: Outgoing, started: float) -> SendResult:
        def elapsed() -> int:
            return _ms(started)

        try:
            target = parse_target(outgoing.url)
        except ValueError as exc:
            return SendResult(
                False,
                error=scrub(f"webhook {webhook.id!r}: {exc}", webhook, outgoing),
                duration_ms=elapsed(),
            )
        try:
            addresses = self._resolve(webhook, target.host, target.port)
        except AddressRefused as exc:
            return SendResult(
                False, error=str(exc), refused=True, address=exc.address, duration_ms=elapsed()
            )
        except ResolutionFailed as exc:
            return SendResult(False, error=str(exc), duration_ms=elapsed())
        headers = {**outgoing.headers, "host": target.netloc}
        extensions = {"sni_hostname": target.host} if target.https else {}
        client = self._client(webhook)
        error = "no address to connect to"
        for address in addresses:
            request = client.build_request(
                "POST",
                target.url.copy_with(host=address),
                headers=headers,
                content=outgoing.body,
                extensions=extensions,
            )
            try:
                response = client.send(request, stream=True)
                body, timed_out = self._read(response)
            except httpx.ConnectError as exc:
                error = f"webhook {webhook.id!r}: cannot connect to {address}: {exc}"
                continue
            except httpx.TimeoutException as exc:
                return SendResult(
                    False,
                    error=_timed_out(webhook, type(exc).__name__, address),
                    duration_ms=elapsed(),
                    address=address,
                )
            except httpx.HTTPError as exc:
                message = scrub(f"{type(exc).__name__}: {exc}", webhook, outgoing)
                return SendResult(
                    False,
                    error=f"webhook {webhook.id!r}: {message} ({address})",
                    duration_ms=elapsed(),
                    address=address,
                )
            if timed_out:
                return SendResult(
                    False,
                    status_code=response.status_code,
                    error=_timed_out(webhook, "the answer's body", address),
                    body=body,
                    duration_ms=elapsed(),
                    address=address,
                )
            problem = response_error(webhook, response.status_code, body)
            log.debug(
                "webhook %r: POST %s (%s): HTTP %d in %d ms",
                webhook.id,
                target.display(),
                address,
                response.status_code,
                elapsed(),
            )
            return SendResult(
                problem is None,
                status_code=response.status_code,
                error=scrub(f"webhook {webhook.id!r}: {problem}", webhook, outgoing)
                if problem
                else None,
                body=body,
                duration_ms=elapsed(),
                address=address,
            )
        return SendResult(False, error=scrub(error, webhook, outgoing), duration_ms=elapsed())

    def _read(self, response: httpx.Response) -> tuple[str, bool]:
        """The start of the answer's body, and whether the deadline cut it short.

        A body cut short otherwise (the receiver closed the connection) still
        counts: the status line was the receiver's answer.
        """
        chunks: list[bytes] = []
        size = 0
        timed_out = False
        try:
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size >= self.max_body:
                    break
        except httpx.TimeoutException:
            timed_out = True
        except httpx.HTTPError:
            pass
        finally:
            response.close()
        body = b"".join(chunks)[: self.max_body].decode("utf-8", errors="replace")
        return body, timed_out


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _timed_out(webhook: WebhookConfig, what: str, address: str) -> str:
    return (
        f"webhook {webhook.id!r}: timed out: no complete answer within {webhook.timeout:g}s "
        f"({what}, {address})"
    )
