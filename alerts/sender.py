"""Sending one prepared request through the network guard.

The host is resolved once, every address is checked (`alerts.guard`), and the
connection is made to a checked address: the URL is rewritten to the IP, the
Host header keeps the name, and for HTTPS the ``sni_hostname`` extension keeps
TLS (SNI and certificate verification) on the name. If connecting to one
address is refused, the next checked one is tried. Redirects are not followed;
proxies from the environment are ignored (a proxy would connect on our behalf,
past the guard). Each webhook has its own client, so pooled connections (and
their TLS sessions) are never shared between two host names.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from alerts.config import WebhookConfig
from alerts.exceptions import AddressRefused, ResolutionFailed
from alerts.guard import resolve_checked
from alerts.outgoing import Outgoing, response_error

MAX_BODY = 4096
RESOLVE_TTL = 30.0


@dataclass(frozen=True)
class SendResult:
    ok: bool
    status_code: int | None = None
    error: str | None = None
    body: str = ""
    duration_ms: int = 0
    refused: bool = False
    address: str | None = None


def _scrub(text: str, webhook: WebhookConfig, outgoing: Outgoing) -> str:
    """Remove the URL (a token may be in its path or query) and the secret from a message."""
    secrets = [outgoing.url, webhook.url]
    for url in (outgoing.url, webhook.url):
        parsed = urlsplit(url)
        secrets += [parsed.query, parsed.path if len(parsed.path) > 1 else ""]
    if webhook.secret is not None:
        secrets.append(webhook.secret.get_secret_value())
    for secret in sorted(filter(None, secrets), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


class Sender:
    """Sends prepared requests; thread-safe; one httpx client per webhook."""

    def __init__(self, *, max_body: int = MAX_BODY) -> None:
        self.max_body = max_body
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
                client = httpx.Client(
                    timeout=httpx.Timeout(webhook.timeout),
                    follow_redirects=False,
                    trust_env=False,
                    limits=httpx.Limits(max_connections=64, max_keepalive_connections=64),
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
        """POST `outgoing` to `webhook`; never raises for network or HTTP failures."""
        started = time.monotonic()

        def elapsed() -> int:
            return int((time.monotonic() - started) * 1000)

        url = httpx.URL(outgoing.url)
        host = url.raw_host.decode("ascii")
        https = url.scheme == "https"
        port = url.port or (443 if https else 80)
        try:
            addresses = self._resolve(webhook, host, port)
        except AddressRefused as exc:
            return SendResult(
                False, error=str(exc), refused=True, address=exc.address, duration_ms=elapsed()
            )
        except ResolutionFailed as exc:
            return SendResult(False, error=str(exc), duration_ms=elapsed())
        name = f"[{host}]" if ":" in host else host
        host_header = name if url.port is None else f"{name}:{port}"
        headers = {**outgoing.headers, "host": host_header}
        extensions = {"sni_hostname": host} if https else {}
        client = self._client(webhook)
        error = "no address to connect to"
        for address in addresses:
            request = client.build_request(
                "POST",
                url.copy_with(host=address),
                headers=headers,
                content=outgoing.body,
                extensions=extensions,
            )
            try:
                response = client.send(request, stream=True)
            except httpx.ConnectError as exc:
                error = f"webhook {webhook.id!r}: cannot connect to {address}: {exc}"
                continue
            except httpx.TimeoutException as exc:
                kind = type(exc).__name__
                return SendResult(
                    False,
                    error=f"webhook {webhook.id!r}: {kind} after {webhook.timeout:g}s ({address})",
                    duration_ms=elapsed(),
                    address=address,
                )
            except httpx.HTTPError as exc:
                message = _scrub(f"{type(exc).__name__}: {exc}", webhook, outgoing)
                return SendResult(
                    False,
                    error=f"webhook {webhook.id!r}: {message} ({address})",
                    duration_ms=elapsed(),
                    address=address,
                )
            body = self._read(response)
            problem = response_error(webhook, response.status_code, body)
            return SendResult(
                problem is None,
                status_code=response.status_code,
                error=_scrub(f"webhook {webhook.id!r}: {problem}", webhook, outgoing)
                if problem
                else None,
                body=body,
                duration_ms=elapsed(),
                address=address,
            )
        return SendResult(False, error=_scrub(error, webhook, outgoing), duration_ms=elapsed())

    def _read(self, response: httpx.Response) -> str:
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size >= self.max_body:
                    break
        except httpx.HTTPError:
            pass
        finally:
            response.close()
        return b"".join(chunks)[: self.max_body].decode("utf-8", errors="replace")
