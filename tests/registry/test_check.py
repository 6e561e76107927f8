"""`bulletins sources check`: verdicts against a local replica, a dead host and a hung one.

Nothing here leaves the machine: the replica serves the family fixtures on
127.0.0.1, and the unreachable host is under the reserved ``.invalid`` TLD.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import scrapy
import yaml
from scrapy.http import Headers, Response

from crawlers.challenges import detect
from crawlers.check import check_sources, to_response
from crawlers.sources.schema import SourceConfig
from tests.registry.support import custom, fixture
from tests.sites import Route, RouteSite

ROOT = Path(__file__).resolve().parents[2]


# --- the family fixtures served on loopback (tests.sites) ------------------------------


@pytest.fixture
def replica() -> Iterator[RouteSite]:
    with RouteSite() as server:
        yield server


def html(family: str, name: str) -> Route:
    return Route(fixture(family, name))


def has(key: str, value: str) -> Callable[[dict[str, list[str]]], bool]:
    return lambda form: form.get(key) == [value]


# family -> (start path, routes)
SITES: dict[str, tuple[str, dict[str, Route]]] = {
    "f1": (
        "/n2253534/n2253535/index.html",
        {
            "/n2253534/n2253535/index.html": html("f1", "listing.html"),
            "/n2253534/n2253535/c9391234/content.html": html("f1", "article.html"),
        },
    ),
    "trs": (
        "/sy/dtyw/index.html",
        {
            "/sy/dtyw/index.html": html("trs", "listing.html"),
            "/sy/dtyw/202405/t20240512_3605253.html": html("trs", "article.html"),
        },
    ),
    "hanweb": (
        "/col/col6372/index.html",
        {
            "/col/col6372/index.html": html("hanweb", "listing.html"),
            "/art/2024/5/12/art_6372_11834669.html": html("hanweb", "article.html"),
        },
    ),
    "jiangxi": (
        "/jxsgat/col/col14590/index.html",
        {
            "/jxsgat/col/col14590/index.html": html("jiangxi", "column.html"),
            "/queryList": Route(
                fixture("jiangxi", "querylist.json"),
                "application/json;charset=UTF-8",
                method="POST",
                check=has("channelCode[]", "col14590"),
            ),
            "/jxsgat/col/col14590/content/content_2098331399481798656.html": html(
                "jiangxi", "article.html"
            ),
        },
    ),
    "zhejiang": (
        "/col/col1229565788/index.html",
        {
            "/col/col1229565788/index.html": html("zhejiang", "column.html"),
            "/api-gateway/jpaas-publish-server/front/page/build/unit": Route(
                fixture("zhejiang", "unit.json"), "application/json"
            ),
            "/col/col1229565788/art/2024/art_937add6719f140bdac86d5b97c525d28.html": html(
                "zhejiang", "article.html"
            ),
        },
    ),
    "gdga": (
        "/jwzx/jwyw/index.html",
        {
            "/jwzx/jwyw/index.html": html("gdga", "listing.html"),
            "/jwzx/jwyw/content/post_4433211.html": html("gdga", "article.html"),
        },
    ),
    "govcn": (
        "/lianbo/bumen/index.htm",
        {
            "/lianbo/bumen/index.htm": html("govcn", "listing.htm"),
            "/lianbo/bumen/202405/content_6950123.htm": html("govcn", "article.htm"),
        },
    ),
    "yunnan": (
        "/list6445.aspx?page=1",
        {
            "/list6445.aspx": html("yunnan", "listing.html"),
            "/Pages_6445_858919.aspx": html("yunnan", "article.html"),
        },
    ),
    "gov-portal": (
        "/",
        {
            "/": html("gov-portal", "listing.html"),
            "/jwzx/jwdt/202405/t20240512_4501234.html": html("gov-portal", "article.html"),
        },
    ),
}


def serve(replica: RouteSite, family: str) -> SourceConfig:
    start, routes = SITES[family]
    for path, route in routes.items():
        replica.add(path, route)
    extra: dict[str, Any] = {}
    if family == "yunnan":
        extra["list"] = {"pages": "list6445.aspx?page={n}"}
    return custom(id=f"replica-{family}", family=family, start_urls=[replica.base + start], **extra)


# --- verdicts -----------------------------------------------------------------------


@pytest.mark.parametrize("family", sorted(SITES))
def test_a_replica_of_each_family_checks_ok(replica: RouteSite, family: str) -> None:
    source = serve(replica, family)
    [result] = check_sources([source], timeout=10)
    assert result.verdict == "ok", (result.reason, result.listing, result.article)
    assert result.items >= 2
    assert result.first_link and result.first_link.startswith(replica.base)
    assert result.article is not None and result.article.status == 200
    assert result.article.encoding in ("utf-8", "utf8")
    assert result.article_title and result.article_date
    assert result.body_chars > 40
    assert not result.needs_browser
    # nothing but loopback was asked
    assert all(path.startswith("/") for _method, path, _body in replica.requests)


def test_a_list_api_family_reports_both_hops(replica: RouteSite) -> None:
    [result] = check_sources([serve(replica, "jiangxi")], timeout=10)
    assert [p.method for p in result.listing] == ["GET", "POST"]
    assert result.listing[1].url.endswith("/queryList")
    assert result.items == 3
    assert result.first_title == "江西警方破获一起特大电信网络诈骗案 抓获犯罪嫌疑人83名"


def test_selectors_that_find_nothing(replica: RouteSite) -> None:
    replica.add("/empty/index.html", Route(b"<html><body><p>nothing listed</p></body></html>"))
    source = custom(id="empty", family="trs", start_urls=[replica.base + "/empty/index.html"])
    [result] = check_sources([source], timeout=10)
    assert result.verdict == "no_match" and result.code == "no_items"
    assert "matched nothing" in result.reason


def test_an_article_without_a_body(replica: RouteSite) -> None:
    source = serve(replica, "trs")
    replica.add(
        "/sy/dtyw/202405/t20240512_3605253.html",
        Route(b"<html><head><title>x</title></head><body><p>short</p></body></html>"),
    )
    [result] = check_sources([source], timeout=10)
    assert result.verdict == "no_match" and result.reason.startswith("article:")
    assert result.code == "empty_body"


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


@pytest.mark.parametrize(
    ("family", "body", "content_type"),
    [
        ("trs", PNG, "image/png"),
        # Bytes Scrapy would read as text: the declared type decides, as in a crawl.
        ("trs", PDF, "application/pdf"),
        # Spiders that look into the page before the base does (a redirect stub, the
        # column page naming its list API) leave a file to it.
        ("f1", PDF, "application/pdf"),
        ("jiangxi", PDF, "application/pdf"),
    ],
)
def test_a_listing_that_is_a_file_is_not_html_in_the_crawls_words(
    replica: RouteSite, family: str, body: bytes, content_type: str
) -> None:
    replica.add("/files/index.html", Route(body, content_type))
    source = custom(id="file", family=family, start_urls=[replica.base + "/files/index.html"])
    [result] = check_sources([source], timeout=10)
    assert result.code == "not_html"
    # The words of the crawl's failed listing page (tests/e2e/test_failure_codes.py).
    assert result.reason == f"listing: listing page is not text/html ({content_type})"
    [page] = result.listing
    assert page.status == 200 and page.encoding is None  # a file: no charset read
    assert result.first_link is None


def test_an_article_that_is_a_file_is_not_html_in_the_crawls_words(replica: RouteSite) -> None:
    source = serve(replica, "trs")
    replica.add("/sy/dtyw/202405/t20240512_3605253.html", Route(PDF, "application/pdf"))
    [result] = check_sources([source], timeout=10)
    assert result.verdict == "no_match" and result.code == "not_html"
    assert result.reason == "article: the article is not an HTML page (application/pdf)"
    assert result.article is not None and result.article.encoding is None


def test_a_missing_page_is_unreachable(replica: RouteSite) -> None:
    source = custom(id="gone", family="trs", start_urls=[replica.base + "/gone/index.html"])
    [result] = check_sources([source], timeout=10)
    assert result.verdict == "unreachable" and result.reason == "HTTP 404"
    assert result.code == "http_404" and result.to_json()["code"] == "http_404"


def test_a_jsl_challenge_is_blocked(replica: RouteSite) -> None:
    challenge = (
        b"<html><script>document.cookie=('__jsl_clearance_s=')+('1718')+('|0|abc');"
        b"location.href=location.pathname+location.search</script></html>"
    )
    replica.add("/jsl/index.html", Route(challenge, status=521))
    source = custom(
        id="jsl", family="f1", render="always", start_urls=[replica.base + "/jsl/index.html"]
    )
    [result] = check_sources([source], timeout=10)
    assert result.verdict == "blocked" and result.code == "challenge"
    assert "challenge (HTTP 521, Jiasule-style)" in result.reason
    assert "__jsl_clearance" in result.reason
    assert result.needs_browser
    assert result.to_json()["needs_browser"] is True


def test_a_hung_server_is_unreachable_within_the_limit(replica: RouteSite) -> None:
    # The page comes after 120 s: a verdict other than unreachable means no limit cut it.
    replica.add("/slow/index.html", Route(fixture("trs", "listing.html"), delay=120))
    source = custom(id="slow", family="trs", start_urls=[replica.base + "/slow/index.html"])
    [result] = check_sources([source], timeout=1.0)
    assert result.verdict == "unreachable" and result.code == "timeout"
    assert "1 s" in result.reason or "timed out" in result.reason


def test_sources_are_checked_concurrently(replica: RouteSite) -> None:
    # The listing is answered only once all four requests are in flight at once (checked
    # one after another, the first would wait 120 s for the others and time out).
    replica.add("/slow/index.html", Route(b"<html></html>", together=4))
    sources = [
        custom(id=f"slow-{i}", family="trs", start_urls=[replica.base + "/slow/index.html"])
        for i in range(4)
    ]
    results = check_sources(sources, timeout=60, concurrency=4)
    assert replica.most_in_flight == 4
    assert [r.source_id for r in results] == [s.id for s in sources]
    assert "unreachable" not in {r.verdict for r in results}


def test_the_browser_hook_is_used_for_render_always() -> None:
    seen: list[str] = []

    def browser(source: SourceConfig, request: scrapy.Request, seconds: float) -> Response:
        seen.append(request.url)
        name = "listing.html" if request.url.endswith("index.html") else "article.html"
        headers = Headers({"Content-Type": "text/html; charset=utf-8"})
        return to_response(request, request.url, 200, headers, fixture("f1", name))

    source = custom(
        id="rendered",
        family="f1",
        render="always",
        start_urls=["https://www.mps.example.invalid/n2253534/n2253535/index.html"],
    )
    [result] = check_sources([source], timeout=10, browser=browser)
    assert result.verdict == "ok", result.reason
    assert result.needs_browser
    assert seen == [
        "https://www.mps.example.invalid/n2253534/n2253535/index.html",
        "https://www.mps.example.invalid/n2253534/n2253535/c9391234/content.html",
    ]


# --- challenge detection ------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (521, "<script>document.cookie=('__jsl_clearance_s=')+('1');</script>", "HTTP 521"),
        (
            412,
            '<html><head><meta r="m" content="x"><script r="m">$_ts=window[\'$_ts\'];</script>'
            '<script src="/a/b.js" r="m"></script></head></html>',
            "HTTP 412, Rivers/瑞数-style",
        ),
        (200, "<html><script>var a = 1; location.reload();</script></html>", "only script"),
        (200, "<html><script>var arg1='3B1A';</script>acw_sc__v2</html>", "acw_sc__v2"),
    ],
)
def test_challenges_are_recognised(status: int, body: str, expected: str) -> None:
    found = detect(status, body)
    assert found is not None and expected in f"{found.label}: {found.evidence}"


def test_an_ordinary_page_is_no_challenge() -> None:
    page = fixture("trs", "listing.html").decode()
    assert detect(200, page) is None
    # 加速乐 sets __jsluid on ordinary pages too: with real content it is no challenge
    assert detect(200, page.replace("<body>", "<body><!-- __jsluid_s -->")) is None


# --- the command -----------------------------------------------------------------------


def run_cli(config: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BULLETINS_")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bulletins.cli", "--config", str(config), "sources", "check", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=config.parent,
    )


def write_config(tmp_path: Path, sources: list[dict[str, Any]]) -> Path:
    path = tmp_path / "bulletins.yaml"
    path.write_text(
        yaml.safe_dump({"builtin_sources": False, "sources": sources}, allow_unicode=True),
        encoding="utf-8",
    )
    return path


def test_cli_reports_a_host_that_does_not_resolve_as_unreachable(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        [
            {
                "id": "nowhere",
                "name": "不存在的站点",
                "family": "trs",
                "start_urls": ["http://bulletin-watch-check.invalid/jwzx/index.html"],
            }
        ],
    )
    result = run_cli(config, "nowhere", "--timeout", "5")
    assert result.returncode == 1, result.stderr
    assert "unreachable" in result.stdout
    as_json = run_cli(config, "nowhere", "--timeout", "5", "--json")
    [report] = json.loads(as_json.stdout)
    assert as_json.returncode == 1
    assert report["verdict"] == "unreachable"
    assert report["code"] == "connection_error"
    assert report["listing"][0]["error"]


def test_cli_reports_a_replica_ok(tmp_path: Path, replica: RouteSite) -> None:
    source = serve(replica, "gdga")
    config = write_config(
        tmp_path,
        [
            {
                "id": source.id,
                "name": source.name,
                "family": "gdga",
                "start_urls": source.start_urls,
            }
        ],
    )
    result = run_cli(config, source.id, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    [report] = json.loads(result.stdout)
    assert report["verdict"] == "ok" and report["label"] == "ok"
    assert report["items"] == 3 and report["body_chars"] > 20
    assert report["listing"][0]["encoding"] == "utf-8"
    human = run_cli(config, "--all")
    assert human.returncode == 0
    assert f"{source.id}  ok" in human.stdout and "1 source(s) checked: 1 ok" in human.stdout


def test_cli_usage_errors(tmp_path: Path) -> None:
    config = write_config(tmp_path, [])
    assert run_cli(config).returncode == 2
    assert run_cli(config, "no-such-source").returncode == 2
