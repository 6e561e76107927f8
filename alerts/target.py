"""Where a webhook URL points: parsed once, the same way at config load and at send.

The config accepts a URL only if this parse succeeds, and the sender uses the
same parse, so a URL that loads can always be sent to (D3: ``http://host:abc/``,
``http://[::1/x``, octal or full-width IPv4 digits used to pass a loose check,
then crash every delivery). Messages name the scheme, host and port at most:
the path, query and user info may carry a token and are never repeated.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

import httpx

_SCHEME = re.compile(r"^https?://")
_HOST_NAME = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$")
# scheme://[userinfo@]authority(rest): what a message must never repeat is the rest
# and the user info (lenient, so it also splits URLs that httpx rejects).
_PARTS = re.compile(r"^[^:/?#]*://(?:(?P<userinfo>[^@/?#\\]*)@)?[^/?#\\]*(?P<rest>.*)$", re.S)


@dataclass(frozen=True)
class Target:
    """A parsed webhook URL: `host` is ASCII (IDNA, IPv6 without brackets)."""

    url: httpx.URL
    scheme: str
    host: str
    port: int  # the explicit port, else 80 or 443
    explicit_port: bool

    @property
    def https(self) -> bool:
        return self.scheme == "https"

    @property
    def netloc(self) -> str:
        """``host[:port]`` as in a Host header (IPv6 in brackets, the port if given)."""
        name = f"[{self.host}]" if ":" in self.host else self.host
        return f"{name}:{self.port}" if self.explicit_port else name

    def display(self) -> str:
        """The URL without user info, path or query: safe to print."""
        return f"{self.scheme}://{self.netloc}/…"


def redact(text: str, url: str) -> str:
    """`text` with the path, query and user info of `url` (and the URL itself) removed."""
    secrets = [url]
    match = _PARTS.match(url)
    if match:
        secrets += [match.group("userinfo") or "", match.group("rest")]
    for secret in sorted(filter(lambda s: len(s) > 1, secrets), key=len, reverse=True):
        text = text.replace(secret, "…")
    return text


def parse_target(url: str) -> Target:
    """Parse `url` as the sender will use it; `ValueError` with a safe message if unusable."""
    if not isinstance(url, str) or not _SCHEME.match(url):
        raise ValueError("not an http(s) URL")
    try:
        parsed = httpx.URL(url)
        host = parsed.raw_host.decode("ascii")
        port = parsed.port
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        raise ValueError(f"not a usable URL: {redact(str(exc), url)}") from None
    if not host:
        raise ValueError("the URL has no host name")
    if ":" in host:
        try:
            ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            raise ValueError(f"invalid IPv6 address {host!r}") from None
    elif not _HOST_NAME.match(host):
        raise ValueError(f"invalid host name {redact(host, url)!r}")
    if port is not None and not 1 <= port <= 65535:
        raise ValueError(f"port {port} is out of range (1-65535)")
    default = 443 if parsed.scheme == "https" else 80
    return Target(parsed, parsed.scheme, host, port or default, port is not None)
