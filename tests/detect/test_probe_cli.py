"""`bulletins sources probe`: fetching (a real HTTP server on 127.0.0.1), decoding,
the JSON and the human form, and a source block that loads as configuration."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bulletins.config import parse_config
from crawlers.detect.fetch import FetchError, fetch_page
from tests.detect.article_pages import cases as article_cases
from tests.sites import Route, RouteSite

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "realpages"
NDRC = (PAGES / "www.ndrc.gov.cn" / "xxgk_zcfb_tz_list_sample.html").read_bytes()
ARTICLE = next(c for c in article_cases() if c.name == "trs_meta_and_label")
GBK_ARTICLE = ARTICLE.html.replace('charset="utf-8"', 'charset="gbk"').replace(
    "近日，", "近日，朱镕基（GB2312 has no 镕）说，"
).encode("gb18030")
CHALLENGE = (b"<html><script>document.cookie=('__jsl_clearance_s=')+('1')+"
             b"';path=/';location.href=location.pathname</script></html>")


ROUTES = {
    "/xxgk/zcfb/tz/index.html": Route(NDRC),
    # a GBK page the server calls UTF-8
    "/jwzx/202608/t20260828_4512345.html": Route(GBK_ARTICLE),
    "/jsl/index.html": Route(CHALLENGE, "text/html", status=521),
    "/big.html": Route(b"<html>" + b"x" * 300_000 + b"</html>", "text/html"),
    "/moved": Route(b"", status=302, location="/xxgk/zcfb/tz/index.html"),
}


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with RouteSite() as server:
        for path, route in ROUTES.items():
            server.add(path, route)
        yield server.base


def probe_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bulletins.cli", "sources", "probe", *args],
                          capture_output=True, text=True, timeout=120)


def test_probe_a_listing_url_json(site: str) -> None:
    result = probe_cli(f"{site}/xxgk/zcfb/tz/index.html", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"kind", "items", "next_page", "lists", "selectors", "config"}
    assert data["kind"] == "listing" and len(data["items"]) == 25
    first = data["items"][0]
    assert first == {
        "url": f"{site}/xxgk/zcfb/tz/202608/t20260828_1407232.html",
        "title": "关于印发《物流网建设实施方案》的通知(发改经贸〔2026〕1241号)",
        "date": "2026-08-27",
    }
    assert data["next_page"] == f"{site}/xxgk/zcfb/tz/index_1.html"
    column = f"{site}/xxgk/zcfb/tz/"
    assert data["lists"] == [{"heading": "通知", "count": 25, "column_url": column}]


def test_the_source_block_loads_as_configuration_and_names_the_selectors(site: str) -> None:
    result = probe_cli(f"{site}/xxgk/zcfb/tz/index.html", "--json")
    data = json.loads(result.stdout)
    block = yaml.safe_load(data["config"])
    config = parse_config({"builtin_sources": False, "sources": block})
    [source] = config.sources
    assert source.start_urls == [f"{site}/xxgk/zcfb/tz/index.html"]
    assert source.list.item == data["selectors"]["item"] == "ul.u-list > li"
    assert source.spider == "trs" and source.list.pages == "index_{n}.html"


def test_probe_human_form_is_a_table_and_a_block_to_paste(site: str) -> None:
    result = probe_cli(f"{site}/moved")  # redirects to the column
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"listing  {site}/xxgk/zcfb/tz/index.html" in out
    assert "  #  date" in out and "2026-08-27" in out
    assert "25 item(s); next page:" in out
    block = out.split("then crawl it):", 1)[1]
    assert yaml.safe_load(block)[0]["list"]["item"] == "ul.u-list > li"


def test_probe_an_article_of_a_gbk_page_the_server_calls_utf8(site: str) -> None:
    result = probe_cli(f"{site}/jwzx/202608/t20260828_4512345.html", "--as", "article", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"kind", "title", "date", "body", "selectors"}
    assert data["kind"] == "article"
    assert data["title"] == ARTICLE.title
    assert data["date"].startswith(ARTICLE.date)
    assert data["body"].startswith("近日，朱镕基（GB2312 has no 镕）说，全省公安机关")
    assert "\ufffd" not in data["body"]
    assert data["selectors"]["body"] == ".TRS_Editor"


def test_probe_a_saved_file_with_url_as_its_address(tmp_path: Path) -> None:
    saved = tmp_path / "page.html"
    saved.write_text(ARTICLE.html, encoding="utf-8")
    result = probe_cli(ARTICLE.url, "--file", str(saved), "--json")
    data = json.loads(result.stdout)
    assert data["kind"] == "article" and data["title"] == ARTICLE.title


@pytest.mark.parametrize(
    ("path", "exit_code", "message"),
    [
        ("/nowhere.html", 1, "HTTP 404"),
        ("/jsl/index.html", 1, "JavaScript cookie challenge"),
    ],
)
def test_fetch_failures_exit_1_and_name_the_url_and_cause(
    site: str, path: str, exit_code: int, message: str
) -> None:
    result = probe_cli(f"{site}{path}")
    assert result.returncode == exit_code
    assert message in result.stderr and f"{site}{path}" in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    ftp = probe_cli("ftp://example.gov.cn/index.html")
    assert ftp.returncode == 2 and "http://" in ftp.stderr
    missing = probe_cli("https://example.gov.cn/", "--file", str(tmp_path / "none.html"))
    assert missing.returncode == 2 and "none.html" in missing.stderr


def test_fetch_stops_at_the_size_limit(site: str) -> None:
    with pytest.raises(FetchError, match="limit"):
        fetch_page(f"{site}/big.html", max_bytes=100_000)
    assert len(fetch_page(f"{site}/big.html").text) > 300_000


def test_a_page_with_no_list_exits_1_and_says_so(tmp_path: Path) -> None:
    saved = tmp_path / "empty.html"
    saved.write_text("<html><body><p>网站建设中</p></body></html>", encoding="utf-8")
    result = probe_cli("https://gat.example.gov.cn/x/index.html", "--file", str(saved),
                       "--as", "listing", "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["note"] == "no article list found in the page's HTML"
