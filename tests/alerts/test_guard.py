"""The guard's decisions, on resolved addresses only: nothing here sends a packet."""

from __future__ import annotations

import pytest

from alerts.exceptions import AddressRefused
from alerts.guard import check_addresses, refusal_reason, resolve_checked

REFUSED = [
    "127.0.0.1",
    "127.0.0.2",
    "127.255.255.254",
    "10.0.0.1",
    "10.255.255.255",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "169.254.0.1",
    "100.64.0.1",  # carrier-grade NAT
    "100.127.255.254",
    "100.100.100.200",  # Alibaba Cloud metadata
    "0.0.0.0",
    "0.1.2.3",
    "224.0.0.1",
    "239.255.255.250",
    "255.255.255.255",
    "240.0.0.1",
    "192.0.2.1",  # documentation
    "198.18.0.1",  # benchmarking
    "::1",
    "::",
    "fc00::1",
    "fd00:ec2::254",
    "fdff:ffff::1",
    "fe80::1",
    "fe80::1%1",
    "ff02::1",
    "::ffff:10.0.0.1",  # IPv4-mapped
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "::127.0.0.1",  # IPv4-compatible (deprecated)
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2001:db8::1",  # documentation
]

ALLOWED = [
    "8.8.8.8",
    "1.1.1.1",
    "203.119.0.1",
    "100.128.0.1",  # just past 100.64/10
    "172.32.0.1",  # just past 172.16/12
    "2606:4700:4700::1111",
    "2400:3200::1",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",  # NAT64 of 8.8.8.8
]


@pytest.mark.parametrize("address", REFUSED)
def test_refused(address: str) -> None:
    assert refusal_reason(address) is not None
    with pytest.raises(AddressRefused) as info:
        check_addresses("hooky", "example.org", [address])
    message = str(info.value)
    assert "hooky" in message and address in message and "allow_private_network" in message


@pytest.mark.parametrize("address", ALLOWED)
def test_allowed(address: str) -> None:
    assert refusal_reason(address) is None
    assert check_addresses("hooky", "example.org", [address]) == [address]


def test_one_private_answer_among_public_ones_refuses_all() -> None:
    with pytest.raises(AddressRefused, match=r"10\.1\.2\.3"):
        check_addresses("hooky", "rebind.example", ["8.8.8.8", "10.1.2.3"])


def test_allow_private_network_lets_everything_through() -> None:
    assert check_addresses("h", "x", ["10.0.0.1", "::1"], allow_private=True) == ["10.0.0.1", "::1"]


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706434", "127.0.0.2"),
        ("0x7f000002", "127.0.0.2"),
        ("0177.0.0.2", "127.0.0.2"),
        ("127.1", "127.0.0.1"),
        ("167772161", "10.0.0.1"),
        ("0xa9fea9fe", "169.254.169.254"),
        ("::ffff:a00:1", "::ffff:10.0.0.1"),
    ],
)
def test_odd_spellings_are_normalized_by_the_resolver_and_refused(host: str, address: str) -> None:
    # getaddrinfo on a numeric host parses it locally: no DNS query, no packet.
    with pytest.raises(AddressRefused) as info:
        resolve_checked("hooky", host, 80)
    assert info.value.address == address


def test_hostname_resolving_to_private_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def fake(host: str, port: int, *args: object, **kwargs: object) -> list[tuple]:  # type: ignore[type-arg]
        assert host == "hooks.example.org"
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("fd12::1", port, 0, 0)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(AddressRefused, match=r"fd12::1 \(resolved from hooks.example.org\)"):
        resolve_checked("hooky", "hooks.example.org", 443)
