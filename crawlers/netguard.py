"""Where a crawl may connect: the crawler's network guard.

A source fetches

- only ``http(s)`` URLs: a link, next page, redirect or meta refresh to ``file:``,
  ``data:``, ``ftp:``, ``s3:`` or any other scheme is refused with the code
  ``blocked_scheme`` (and Scrapy's download handlers for ``file``, ``data``, ``ftp``
  and ``s3`` are switched off in `crawlers.settings`);
- the hosts of its own start URLs, as written there, whatever their address: the
  user named them;
- any other host only at global (public) addresses: one at a loopback, private,
  link-local, carrier-grade NAT, metadata, ... address is refused with the code
  ``blocked_private_address``, unless the source says ``allow_private_network: true``.

Addresses are checked, not names, with the webhooks' classification
(`alerts.guard.refusal_reason`). An IP literal in any spelling (``2130706434``,
``0x7f.1``, ``[::ffff:127.0.0.2]``) is read the way the connection reads it; a name is
resolved through the crawl's own resolver (:class:`GuardedResolver`), the one the
connection then uses, with its cache. The resolver refuses a private answer for a
name that no source of the process may reach privately, so a second DNS answer
cannot slip a private address past the check, and the address a response came
from (``Response.ip_address``, or the final URL after a browser's redirects) is
checked once more.

A refused request fails with :class:`RequestRefused`, which carries its `code`;
the spider records it like any failed page.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from urllib.request import getproxies

from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

from alerts.guard import refusal_reason, resolve
from crawlers.sources.schema import SourceConfig

log = logging.getLogger(__name__)

BLOCKED_SCHEME = "blocked_scheme"
BLOCKED_PRIVATE_ADDRESS = "blocked_private_address"
ALLOWED_SCHEMES = frozenset({"http", "https"})

# What inet_aton (and so the resolver, for a connection) reads as an IPv4 address:
# one to four parts, each decimal, octal (leading 0) or hex (0x).
_NUMERIC_HOST = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}$")


class RequestRefused(IgnoreRequest):
    """A request the guard does not let out; `code` says why, in one word."""

    def __init__(self, code: str, url: str, why: str) -> None:
        self.code = code
        self.url = url
        self.why = why
        super().__init__(f"{code}: {why}")


class PrivateAnswer(RequestRefused, DNSLookupError):
    """The resolver's answer for a name is not a global address.

    A DNS failure to Twisted (a connection gets no address, quietly), a refusal to
    the guard: the middleware turns the connection's failure back into one.
    """

    def __init__(self, host: str, address: str, reason: str) -> None:
        self.host = host
        self.address = address
        self.reason = reason
        super().__init__(
            BLOCKED_PRIVATE_ADDRESS, host, f"{host} resolves to {address} ({reason})"
        )


def normalize_host(host: str | None) -> str:
    """A host as compared: lower case, without brackets or a trailing dot."""
    return (host or "").strip("[]").rstrip(".").lower()


def literal_address(host: str) -> str | None:
    """The address an IP literal stands for, in any spelling the connection accepts
    (``127.0.0.2``, ``2130706434``, ``0x7f.0.0.2``, ``0177.1``, ``::ffff:127.0.0.2``);
    None for a name."""
    host = normalize_host(host)
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        try:
            return socket.inet_ntoa(socket.inet_aton(host))
        except OSError:
            return None
    return None


@dataclass(frozen=True)
class HostPolicy:
    """What one source may fetch."""

    source_id: str
    own_hosts: frozenset[str]
    allow_private_network: bool = False

    @classmethod
    def of(cls, source: SourceConfig) -> HostPolicy:
        hosts = frozenset(normalize_host(urlsplit(url).hostname) for url in source.start_urls)
        return cls(source.id, hosts, source.allow_private_network)

    def is_own(self, host: str | None) -> bool:
        return normalize_host(host) in self.own_hosts

    def needs_addresses(self, url: str) -> bool:
        """Whether the addresses of `url`'s host decide (not its own host, no consent)."""
        return not self.allow_private_network and not self.is_own(urlsplit(url).hostname)

    def refusal(self, url: str, addresses: Sequence[str] = ()) -> RequestRefused | None:
        """Why `url` may not be fetched when its host is at `addresses`, or None.

        `addresses` are what the host resolved to (or the literal's address); they
        matter only for a host that is not the source's own.
        """
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            shown = url if len(url) <= 80 else url[:77] + "..."
            return RequestRefused(
                BLOCKED_SCHEME, url, f"{shown} is a {scheme or 'relative'}: URL, not http(s)"
            )
        if not self.needs_addresses(url):
            return None
        host = normalize_host(parts.hostname)
        literal = literal_address(host)
        for address in [literal] if literal else addresses:
            reason = refusal_reason(address)
            if reason:
                if literal is None:
                    at = f"resolves to {address},"
                else:
                    at = "is" if literal == host else f"(that is {literal}) is"
                return RequestRefused(
                    BLOCKED_PRIVATE_ADDRESS,
                    url,
                    f"{host} {at} a {reason} address and not a host of source "
                    f"{self.source_id!r}; the source may reach it only with "
                    "allow_private_network: true",
                )
        return None


# --- the resolver ----------------------------------------------------------------------

#: Names some source of this process may reach at a private address (its own hosts,
#: or any host of a source with allow_private_network).
_PRIVATE_OK: set[str] = set()
#: Names the resolver refused, with the answer it refused.
_REFUSED: dict[str, PrivateAnswer] = {}


def allow_private(hosts: Iterable[str | None]) -> None:
    """Let the resolver answer private addresses for `hosts` in this process."""
    _PRIVATE_OK.update(normalize_host(h) for h in hosts if h)


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, which refuses a private answer for a name that no
    source of this process may reach privately (TWISTED_DNS_RESOLVER). The proxies
    of the environment (``http_proxy`` ...), which Scrapy uses, may be private."""

    def __init__(self, reactor: Any, cache_size: int, timeout: float) -> None:
        super().__init__(reactor, cache_size, timeout)
        allow_private(urlsplit(proxy).hostname for proxy in getproxies().values())

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        deferred = super().getHostByName(name, timeout)
        deferred.addCallback(self._checked, name)
        return deferred

    @staticmethod
    def _checked(address: str, name: str) -> str:
        host = normalize_host(name)
        if host not in _PRIVATE_OK:
            reason = refusal_reason(address)
            if reason:
                answer = PrivateAnswer(host, address, reason)
                _REFUSED[host] = answer
                log.debug("the resolver refused %s", answer.why)
                raise answer
        return address


# --- the downloader middleware ---------------------------------------------------------


class NetworkGuardMiddleware:
    """Checks every request before it goes out (links, next pages, redirects, meta
    refreshes, robots.txt) and the address every response came from."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self._policy: HostPolicy | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> NetworkGuardMiddleware:
        return cls(crawler)

    def policy(self) -> HostPolicy | None:
        if self._policy is None:
            spider = getattr(self.crawler, "spider", None)
            source = getattr(spider, "source", None)
            if isinstance(source, SourceConfig):
                self._policy = HostPolicy.of(source)
                allow_private(self._policy.own_hosts)
        return self._policy

    async def process_request(self, request: Any) -> None:
        policy = self.policy()
        if policy is None:  # not a source's spider: schemes only
            policy = HostPolicy("", frozenset(), allow_private_network=True)
        elif policy.allow_private_network:
            allow_private([urlsplit(request.url).hostname])
        refused = policy.refusal(request.url)
        if refused is None and policy.needs_addresses(request.url):
            refused = policy.refusal(request.url, await self._addresses(request.url))
        if refused is not None:
            self._count(refused)
            raise refused

    async def process_response(self, request: Any, response: Any) -> Any:
        policy = self.policy()
        if policy is None or not policy.needs_addresses(response.url):
            return response
        ip = getattr(response, "ip_address", None)
        if ip is not None and request.meta.get("proxy"):
            return response  # the proxy's address; the host's was checked before
        if ip is not None:
            addresses = [str(ip)]
        elif urlsplit(response.url).hostname != urlsplit(request.url).hostname:
            addresses = await self._addresses(response.url)  # the browser went elsewhere
        else:
            return response
        refused = policy.refusal(response.url, addresses)
        if refused is not None:
            self._count(refused)
            raise refused
        return response

    def process_exception(self, request: Any, exception: Exception) -> None:
        """A connection whose name resolved to a private address after the check
        (a second DNS answer) fails as a DNS error: say what it was."""
        if isinstance(exception, DNSLookupError) and not isinstance(exception, RequestRefused):
            answer = _REFUSED.get(normalize_host(urlsplit(request.url).hostname))
            policy = self.policy()
            if answer is not None and policy is not None:
                refused = policy.refusal(request.url, [answer.address])
                if refused is not None:
                    self._count(refused)
                    raise refused
        return None

    async def _addresses(self, url: str) -> list[str]:
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet import reactor

        host = normalize_host(urlsplit(url).hostname)
        literal = literal_address(host)
        if literal is not None:
            return [literal]
        resolving: Deferred[str] = reactor.resolve(host)  # type: ignore[arg-type]
        try:
            address = await maybe_deferred_to_future(resolving)
        except PrivateAnswer as answer:
            return [answer.address]
        except DNSLookupError:
            # Nothing to decide on: the download reports the failed lookup itself (or a
            # proxy resolves the name, and the resolver still guards the connection).
            return []
        return [str(address)]

    def _count(self, refused: RequestRefused) -> None:
        stats = getattr(self.crawler, "stats", None)
        if stats is not None:
            stats.inc_value(f"bulletins/refused/{refused.code}")


# --- outside a crawl -------------------------------------------------------------------


def httpx_guard(source: SourceConfig) -> Any:
    """An httpx request hook that holds `sources check` (plain HTTP, redirects
    followed) to the same rules: it raises :class:`RequestRefused`."""
    policy = HostPolicy.of(source)

    def check(request: Any) -> None:
        url = str(request.url)
        refused = policy.refusal(url)
        if refused is None and policy.needs_addresses(url):
            port = request.url.port or (443 if request.url.scheme == "https" else 80)
            try:
                addresses = resolve(request.url.host, port)
            except OSError:
                return  # httpx reports the failed lookup itself
            refused = policy.refusal(url, addresses)
        if refused is not None:
            raise refused

    return check
