"""The network guard: webhooks may post only to global addresses.

A webhook's host is resolved once; every address it resolves to is checked, and
the connection is then made to a checked address (see `alerts.sender`), so a
second DNS answer cannot slip a private address past the check. The resolver is
`socket.getaddrinfo`, which also normalizes odd spellings of an IPv4 address
(``2130706434``, ``0x7f000002``, ``0177.0.0.1``, ``127.1``) before they are checked.

Refused: loopback, private (RFC 1918), carrier-grade NAT (100.64/10), link-local
(169.254/16, fe80::/10, cloud metadata endpoints), unique-local (fc00::/7),
unspecified, multicast, reserved and documentation ranges, and the same ranges
wrapped in IPv6 (IPv4-mapped ``::ffff:a.b.c.d``, 6to4 ``2002::/16``, NAT64
``64:ff9b::/96``, IPv4-compatible ``::a.b.c.d``).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence

from alerts.exceptions import AddressRefused, ResolutionFailed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_METADATA = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("100.100.100.200"),
    ipaddress.ip_address("fd00:ec2::254"),
}


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal_reason(address: str | IPAddress) -> str | None:
    """Why `address` is not a safe webhook destination, or None when it is global."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return "scoped link-local"
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = refusal_reason(inner)
            return f"{reason} (embedded in IPv6)" if reason else None
    if ip in _METADATA:
        return "cloud metadata"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "shared (carrier-grade NAT)"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "site-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if not ip.is_global:
        return "non-global"
    return None


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (IP literals in any spelling included), in order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        text = str(sockaddr[0])
        if text not in addresses:
            addresses.append(text)
    return addresses


def check_addresses(
    webhook_id: str, host: str, addresses: Sequence[str], *, allow_private: bool = False
) -> list[str]:
    """Return `addresses` if all may be connected to, else raise `AddressRefused`."""
    if not addresses:
        raise ResolutionFailed(webhook_id, host, "no address")
    if not allow_private:
        for address in addresses:
            reason = refusal_reason(address)
            if reason:
                raise AddressRefused(webhook_id, host, address, reason)
    return list(addresses)


def resolve_checked(
    webhook_id: str, host: str, port: int, *, allow_private: bool = False
) -> list[str]:
    """Resolve `host` once and check every address; the addresses to connect to."""
    try:
        addresses = resolve(host, port)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise ResolutionFailed(webhook_id, host, str(exc) or type(exc).__name__) from None
    return check_addresses(webhook_id, host, addresses, allow_private=allow_private)
