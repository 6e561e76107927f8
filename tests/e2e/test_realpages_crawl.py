"""The real saved pages served over HTTP on 127.0.0.1 and crawled by `bulletins crawl`
with no selectors: the crawl asks for exactly the articles the pages list (their
links answer 404 here: only the listing pages were saved)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import crawl_json, write_config
from tests.sites import Route, RouteSite

pytestmark = pytest.mark.e2e

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "realpages"
TRUTH: dict[str, Any] = json.loads((PAGES / "expected.json").read_text("utf-8"))
SERVED = {
    "/mps/index.html": "www.mps.gov.cn/index_home_2026-09.html",
    "/ndrc/xxgk/zcfb/tz/index.html": "www.ndrc.gov.cn/xxgk_zcfb_tz_list_sample.html",
}


@pytest.fixture
def saved_site() -> Iterator[tuple[str, list[str]]]:
    """The saved pages at their paths; the list of paths requested fills as they come."""
    seen: list[str] = []

    def saved(_method: str, path: str) -> Route:
        seen.append(path)
        name = SERVED.get(path)
        return Route((PAGES / name).read_bytes()) if name else Route(b"not saved", status=404)

    with RouteSite(resolve=saved) as server:
        yield server.base, seen


def source(source_id: str, url: str, **listing: Any) -> dict[str, Any]:
    return {"id": source_id, "name": "真实页面", "start_urls": [url], "render": "never",
            "list": {"min_pages": 1, **listing}}


def test_crawling_the_real_pages_without_selectors_requests_exactly_their_articles(
    saved_site: tuple[str, list[str]], tmp_path: Path, sqlite_url: str
) -> None:
    base, seen = saved_site
    sources = [
        source("real-mps", f"{base}/mps/index.html", max_pages=1),
        source("real-ndrc", f"{base}/ndrc/xxgk/zcfb/tz/index.html", max_pages=2),
    ]
    result = crawl_json(write_config(tmp_path / "c.yaml", database=sqlite_url, sources=sources))
    runs = {run["source_id"]: run for run in result["runs"]}
    mps = [f"/mps/{i['href']}" for i in TRUTH["www.mps.gov.cn/index_home_2026-09.html"]["items"]]
    ndrc_truth = TRUTH["www.ndrc.gov.cn/xxgk_zcfb_tz_list_sample.html"]
    ndrc = [f"/ndrc/xxgk/zcfb/tz/{i['href'][2:]}" for i in ndrc_truth["items"]]
    requested = set(seen)
    assert set(mps) <= requested  # all 36 ministry news links of the home page
    assert set(ndrc) <= requested  # the column's 25
    assert "/ndrc/xxgk/zcfb/tz/index_1.html" in requested  # its next page
    ndrc_requests = {p for p in requested if p.startswith("/ndrc/") and "/t2026" in p}
    assert ndrc_requests == set(ndrc)  # no 相关解读 pop-up link
    # nothing off-site was followed (it would be on the run as an error with its URL)
    errors = [e["url"] for run in runs.values() for e in run["errors"]]
    assert errors and all(url.startswith(base) for url in errors)
    extra_mps = {p for p in requested if p.startswith("/mps/") and p.endswith("content.html")}
    assert len(extra_mps - set(mps)) <= 8  # 服务公告 and 调查征集 are lists of the page too


def test_a_heading_crawls_one_list_of_the_home_page(
    saved_site: tuple[str, list[str]], tmp_path: Path, sqlite_url: str
) -> None:
    base, seen = saved_site
    heading = "".join(c for c in "新闻发布".encode().decode("latin-1") if c >= "\xa0")
    sources = [source("real-mps", f"{base}/mps/index.html", max_pages=1, heading=heading)]
    crawl_json(write_config(tmp_path / "c.yaml", database=sqlite_url, sources=sources))
    truth = next(lst for lst in TRUTH["www.mps.gov.cn/index_home_2026-09.html"]["lists"]
                 if lst["name"] == "新闻发布")
    articles = {p for p in seen if p.endswith("content.html")}
    assert articles == {f"/mps/{href}" for href in truth["hrefs"]}


