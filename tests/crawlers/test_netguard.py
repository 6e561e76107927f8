"""The crawler's network guard, decided on given addresses (no network needed).

The end-to-end refusals, through `bulletins crawl` against loopback only, are in
tests/e2e/test_hostile.py; here a source whose host is public meets links to
private, loopback, link-local and metadata addresses.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.settings import Settings
from twisted.internet.error import DNSLookupError

from crawlers.netguard import (
    BLOCKED_PRIVATE_ADDRESS,
    BLOCKED_SCHEME,
    GuardedResolver,
    HostPolicy,
    NetworkGuardMiddleware,
    PrivateAnswer,
    RequestRefused,
    allow_private,
    literal_address,
)
from crawlers.runner import crawl_settings
from crawlers.sources.schema import SourceConfig

PUBLIC_SOURCE = HostPolicy("gat", frozenset({"www.example.gov.cn"}))


def source(**extra: object) -> SourceConfig:
    return SourceConfig.model_validate(
        {
            "id": "gat",
            "name": "gat",
            "start_urls": ["https://WWW.Example.gov.cn./news/index.html", "http://10.0.0.7/list"],
            "list": {"item": "li"},
            **extra,
        }
    )


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///dev/zero",
        "FILE:///dev/urandom",
        "data:text/html,<a href='http://10.0.0.1/'>x</a>",
        "ftp://www.example.gov.cn/pub/list.html",
        "s3://bucket/key",
        "gopher://10.0.0.1:70/1",
        "dict://127.0.0.1:11211/stats",
        "sftp://www.example.gov.cn/x",
        "ws://www.example.gov.cn/socket",
        "jar:http://www.example.gov.cn/a.jar!/x",
        "mailto:office@example.gov.cn",
        "javascript:void(0)",
    ],
)
def test_only_http_and_https_are_fetched(url: str) -> None:
    for policy in (PUBLIC_SOURCE, HostPolicy("x", frozenset(), allow_private_network=True)):
        refused = policy.refusal(url)
        assert refused is not None and refused.code == BLOCKED_SCHEME
        assert refused.url == url


@pytest.mark.parametrize(
    ("url", "addresses"),
    [
        ("http://10.1.2.3/admin", []),
        ("http://192.168.0.1/", []),
        ("http://172.16.5.4:8080/", []),
        ("http://169.254.169.254/latest/meta-data/", []),
        ("http://100.100.100.200/latest/meta-data/", []),
        ("http://100.64.0.1/", []),
        ("http://127.0.0.1:8080/", []),
        ("http://0.0.0.0/", []),
        ("http://[::1]/", []),
        ("http://[fe80::1]/", []),
        ("http://[fd00:ec2::254]/", []),
        ("http://[::ffff:10.0.0.1]/", []),
        ("http://[::ffff:a9fe:a9fe]/", []),
        ("http://[64:ff9b::a00:1]/", []),
        ("http://[2002:c0a8:1::]/", []),
        ("http://2852039166/", []),  # 169.254.169.254 as one number
        ("http://0xa9fea9fe/", []),
        ("http://0251.0376.0251.0376/", []),  # octal
        ("http://0xa9.0xfe.0xa9.0xfe/", []),
        ("http://10.1/", []),  # 10.0.0.1
        ("http://192.168.1/", []),
        ("http://127.1/", []),
        ("http://localhost/", ["127.0.0.1"]),
        ("http://metadata.google.internal/", ["169.254.169.254"]),
        ("http://intranet.example.gov.cn/", ["10.20.30.40"]),
        ("http://rebind.example.org/", ["93.184.216.34", "192.168.0.10"]),
        ("http://v6.example.org/", ["fc00::1"]),
        ("https://LOCALHOST./", ["::1"]),
    ],
)
def test_other_hosts_at_private_addresses_are_refused(url: str, addresses: list[str]) -> None:
    refused = PUBLIC_SOURCE.refusal(url, addresses)
    assert refused is not None, url
    assert refused.code == BLOCKED_PRIVATE_ADDRESS
    assert "allow_private_network" in str(refused) and "'gat'" in str(refused)
    consenting = HostPolicy("gat", PUBLIC_SOURCE.own_hosts, allow_private_network=True)
    assert consenting.refusal(url, addresses) is None


@pytest.mark.parametrize(
    ("url", "addresses"),
    [
        ("https://www.example.gov.cn/a/1.html", ["93.184.216.34"]),
        ("https://cdn.example.net/a/1.html", ["93.184.216.34"]),
        ("http://v6.example.net/", ["2606:4700:4700::1111"]),
        ("http://93.184.216.34/a.html", []),
        ("http://[2606:4700:4700::1111]/", []),
        ("http://1572395042/", []),  # 93.184.216.34 as a number: public all the same
    ],
)
def test_other_hosts_at_public_addresses_are_fetched(url: str, addresses: list[str]) -> None:
    assert PUBLIC_SOURCE.refusal(url, addresses) is None


def test_the_sources_own_hosts_are_fetched_whatever_their_address() -> None:
    policy = HostPolicy.of(source())
    assert policy.own_hosts == {"www.example.gov.cn", "10.0.0.7"}
    assert policy.refusal("http://www.example.gov.cn/a/1.html", ["10.9.9.9"]) is None
    assert policy.refusal("https://WWW.EXAMPLE.GOV.CN./a/2.html", ["127.0.0.1"]) is None
    assert policy.refusal("http://10.0.0.7:8080/detail?id=3") is None
    # ... but only those hosts: the same address under another name is another host
    refused = policy.refusal("http://10.0.0.8/x")
    assert refused is not None and refused.code == BLOCKED_PRIVATE_ADDRESS
    assert policy.refusal("http://intranet/", ["10.0.0.7"]) is not None
    assert not policy.needs_addresses("http://www.example.gov.cn/x")
    assert policy.needs_addresses("http://other.example.org/x")


def test_allow_private_network_is_a_source_key_that_defaults_to_off() -> None:
    assert source().allow_private_network is False
    policy = HostPolicy.of(source(allow_private_network=True))
    assert policy.refusal("http://192.168.1.1/", []) is None
    assert policy.refusal("file:///etc/hostname") is not None  # schemes still


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.2", "127.0.0.2"),
        ("2130706434", "127.0.0.2"),
        ("0x7f000002", "127.0.0.2"),
        ("0x7f.0.0.0x2", "127.0.0.2"),
        ("0x7f.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("[::ffff:127.0.0.2]", "::ffff:7f00:2"),
        ("::1", "::1"),
        ("www.example.gov.cn", None),
        ("0x7f.example", None),
        ("1.2.3.4.5", None),
        ("", None),
    ],
)
def test_ip_literals_are_read_in_every_spelling(host: str, address: str | None) -> None:
    assert literal_address(host) == address


def test_the_resolver_refuses_private_answers_for_names_no_source_may_reach() -> None:
    with pytest.raises(PrivateAnswer) as caught:
        GuardedResolver._checked("10.1.1.1", "sneaky.example.org")
    assert caught.value.code == BLOCKED_PRIVATE_ADDRESS
    assert caught.value.address == "10.1.1.1" and "private" in str(caught.value)
    assert GuardedResolver._checked("93.184.216.34", "sneaky.example.org") == "93.184.216.34"
    allow_private(["Own-Host.Example.ORG."])
    assert GuardedResolver._checked("10.1.1.1", "own-host.example.org") == "10.1.1.1"


def _handlers(settings: Settings) -> dict[str, object]:
    return dict(settings.getwithbase("DOWNLOAD_HANDLERS"))


def test_no_download_handler_reads_files_data_ftp_or_s3() -> None:
    settings = crawl_settings(database_url="sqlite://", timezone="UTC")
    handlers = _handlers(settings)
    for scheme in ("file", "data", "ftp", "s3"):
        assert handlers.get(scheme) is None, scheme
    assert handlers["http"] and handlers["https"]
    assert settings["TWISTED_DNS_RESOLVER"] == "crawlers.netguard.GuardedResolver"
    assert settings.getdict("DOWNLOADER_MIDDLEWARES")["crawlers.netguard.NetworkGuardMiddleware"]

    # A crawler that gets the browser's handlers replaces DOWNLOAD_HANDLERS: still none.
    from crawlers import browser

    for key, value in browser.scrapy_settings(browser.BrowserOptions()).items():
        settings.set(key, value, priority="cmdline")
    handlers = _handlers(settings)
    for scheme in ("file", "data", "ftp", "s3"):
        assert handlers.get(scheme) is None, scheme


def test_a_connection_whose_name_turned_private_is_recorded_as_refused() -> None:
    """A name checked public, then answered private when the connection resolved it
    (DNS rebinding): the connection fails as a DNS error, the middleware says why."""
    crawler = SimpleNamespace(spider=SimpleNamespace(source=source()), stats=None)
    middleware = NetworkGuardMiddleware(crawler)
    with pytest.raises(PrivateAnswer):
        GuardedResolver._checked("192.168.7.7", "rebinding.example.org")
    request = Request("http://rebinding.example.org/a/1.html")
    with pytest.raises(RequestRefused) as caught:
        middleware.process_exception(request, DNSLookupError("no results"))
    assert caught.value.code == BLOCKED_PRIVATE_ADDRESS
    assert "192.168.7.7" in str(caught.value)
    # any other DNS failure stays what it is
    other = Request("http://no-such-host.example.org/")
    assert middleware.process_exception(other, DNSLookupError("no results")) is None


def test_the_environments_proxy_may_be_at_a_private_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("http_proxy", "http://proxy.corp.example:3128")
    GuardedResolver(SimpleNamespace(), 0, 5.0)
    assert GuardedResolver._checked("10.0.0.9", "proxy.corp.example") == "10.0.0.9"
    with pytest.raises(PrivateAnswer):
        GuardedResolver._checked("10.0.0.9", "not-the-proxy.corp.example")
