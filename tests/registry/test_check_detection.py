"""`sources check` reports what detection found next to what the selectors found, warns
when the selectors find fewer than half, and names the column a home-page source
should start from (crawlers/check/detection.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bulletins.config import parse_config
from crawlers.check import check_sources, summary_lines
from crawlers.check.detection import compare_with_detection
from replica import ReplicaServer, sources_config
from tests.registry.support import custom, listing_response, spider_for

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "realpages"
MPS_HOME = "https://www.mps.gov.cn/index.html"
NDRC = "https://www.ndrc.gov.cn/xxgk/zcfb/tz/index.html"


def compare(url: str, name: str, **entry: Any) -> Any:
    spider = spider_for(custom(start_urls=[url], **entry))
    page = spider.decoded(listing_response(spider, url, (PAGES / name).read_bytes()))
    return compare_with_detection(spider, page)


def test_the_real_ndrc_column_agrees_with_its_selectors() -> None:
    found = compare(NDRC, "www.ndrc.gov.cn/xxgk_zcfb_tz_list_sample.html", family="trs")
    assert (found.selector_items, found.detected_items) == (25, 25)
    assert found.line() == f"selectors: 25 item(s); detection: 25 item(s) in {found.heading}"
    assert found.warning is None
    assert found.column_url is None  # a column page: nothing to suggest


def test_a_selector_finding_fewer_than_half_of_the_real_ndrc_list_is_warned_about() -> None:
    found = compare(
        NDRC,
        "www.ndrc.gov.cn/xxgk_zcfb_tz_list_sample.html",
        family="trs",
        list={"item": "ul.u-list > li:first-child"},
    )
    assert (found.selector_items, found.detected_items) == (1, 25)
    assert found.warning is not None
    assert "found 1 item(s), fewer than half of detection's 25" in found.warning
    assert "sources probe" in found.warning


def test_the_real_mps_home_page_shows_its_lists_beside_the_portal_selectors() -> None:
    found = compare(MPS_HOME, "www.mps.gov.cn/index_home_2026-09.html", family="gov-portal")
    assert found.home
    assert found.selector_items == 10
    assert found.detected_items >= 30  # its ministry news lists, off-site ones left out
    assert len(found.lists) >= 8 and all(lst["count"] > 0 for lst in found.lists)
    assert f"in {len(found.lists)} list(s)" in found.line()
    assert found.warning is not None and "fewer than half" in found.warning


def test_check_suggests_the_column_of_a_home_page_source_and_reports_both_counts() -> None:
    with ReplicaServer() as server:
        base = server.url
        [column] = [s for s in sources_config(base) if s["id"] == "replica-gbk"]
        home = {**column, "id": "gbk-home", "start_urls": [base + "/gbk/index.html"]}
        home["list"] = {k: v for k, v in column["list"].items() if k != "pages"}
        config = parse_config({"builtin_sources": False, "sources": [column, home]})
        on_column, on_home = check_sources(config.sources, timeout=20)
    assert on_column.verdict == "ok" and on_column.detection is not None
    assert on_column.detection.line() == "selectors: 20 item(s); detection: 20 item(s) in 警务资讯"
    assert on_column.detection.column_url is None and on_column.detection.warning is None

    assert on_home.detection is not None
    assert on_home.detection.line() == "selectors: 0 item(s); detection: 5 item(s) in 警务资讯"
    assert on_home.detection.warning is not None
    assert on_home.detection.column_heading == "警务资讯"
    assert on_home.detection.column_url == base + "/gbk/jwzx/index.html"
    assert on_home.to_json()["detection"]["column_url"] == on_home.detection.column_url
    text = "\n".join(summary_lines([on_home]))
    assert "selectors: 0 item(s); detection: 5 item(s) in 警务资讯" in text
    assert f"column: 警务资讯 is {base}/gbk/jwzx/index.html" in text
