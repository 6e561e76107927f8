"""The spider's use of detection (crawlers/detect/crawl.py): falling back, picking a
list by heading, following the detected next page, and warning with both counts
when a configured selector disagrees with the page."""

from __future__ import annotations

from typing import Any

import scrapy

from crawlers.spiders.bulletin import BulletinSpider
from tests.detect.cms_pages import SPECS, column_case, home_case
from tests.registry.support import custom, listing_response, spider_for

NDRC_LIKE = column_case(next(s for s in SPECS if s[0] == "ndrc_related_popups"))
HOME = home_case()


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def crawl_page(url: str, html: str, **entry: Any) -> tuple[BulletinSpider, list[Any]]:
    spider = spider_for(custom(start_urls=[url], **entry))
    spider.crawler.stats = Stats()  # type: ignore[misc]
    page = listing_response(spider, url, html.encode())
    return spider, list(spider.parse_listing(page))


def articles(outputs: list[Any]) -> list[str]:
    return [o.url for o in outputs if isinstance(o, scrapy.Request) and o.meta["kind"] == "article"]


def next_pages(outputs: list[Any]) -> list[str]:
    return [o.url for o in outputs if isinstance(o, scrapy.Request) and o.meta["kind"] == "listing"]


def test_a_source_without_a_list_selector_reads_the_list_and_pages_by_detection() -> None:
    spider, outputs = crawl_page(NDRC_LIKE.url, NDRC_LIKE.html, list={"max_pages": 3})
    assert articles(outputs) == [url for url, _title, _date in NDRC_LIKE.items]
    assert next_pages(outputs) == [NDRC_LIKE.next_page]
    requests = [o for o in outputs if isinstance(o, scrapy.Request) and o.meta["kind"] == "article"]
    assert [r.meta["listing_date"] for r in requests] == [d for _u, _t, d in NDRC_LIKE.items]
    assert spider.crawler.stats.get_value("bulletins/listing_detected") == 1
    assert spider.listing_warnings == [] and spider.errors == []


def test_a_selector_that_matches_nothing_falls_back_with_a_warning_and_both_counts() -> None:
    spider, outputs = crawl_page(NDRC_LIKE.url, NDRC_LIKE.html, list={"item": "ul.gone > li"})
    assert len(articles(outputs)) == len(NDRC_LIKE.items) == 20
    [warning] = spider.listing_warnings
    assert warning["selector_count"] == 0 and warning["detected_count"] == 20
    assert "matched nothing" in warning["warning"]
    assert spider.crawler.stats.get_value("bulletins/listing_warnings") == 1


def test_a_selector_that_finds_fewer_than_half_is_kept_and_reported() -> None:
    spider, outputs = crawl_page(
        NDRC_LIKE.url, NDRC_LIKE.html, list={"item": "ul.u-list > li:nth-child(-n+4)"}
    )
    assert len(articles(outputs)) == 4  # the configured selector still decides
    [warning] = spider.listing_warnings
    assert (warning["selector_count"], warning["detected_count"]) == (4, 20)
    assert "found 4 item(s) and detection 20" in warning["warning"]


def test_a_selector_that_finds_nested_entries_is_reported() -> None:
    spider, _outputs = crawl_page(NDRC_LIKE.url, NDRC_LIKE.html, list={"item": ".list ul li"})
    [warning] = spider.listing_warnings
    assert "lie inside other entries" in warning["warning"]
    assert warning["detected_count"] == 20


def test_a_selector_that_agrees_with_detection_is_quiet() -> None:
    spider, outputs = crawl_page(NDRC_LIKE.url, NDRC_LIKE.html, list={"item": "ul.u-list > li"})
    assert len(articles(outputs)) == 20
    assert spider.listing_warnings == []


def test_heading_picks_one_list_of_a_home_page() -> None:
    spider, outputs = crawl_page(HOME.url, HOME.html, list={"heading": "新闻发布"})
    assert articles(outputs) == HOME.lists["新闻发布"]
    assert next_pages(outputs) == []  # a home page does not page
    assert spider.listing_warnings == []


def test_the_first_heading_of_several_that_the_page_shows_is_followed() -> None:
    _spider, outputs = crawl_page(HOME.url, HOME.html, list={"heading": ["公安要闻", "警情通报"]})
    assert articles(outputs) == HOME.lists["警情通报"]


def test_a_heading_the_page_lacks_reads_all_its_lists_and_says_so() -> None:
    spider, outputs = crawl_page(HOME.url, HOME.html, list={"heading": "交管动态"})
    assert sorted(articles(outputs)) == sorted(url for url, _t, _d in HOME.items)
    [warning] = spider.listing_warnings
    assert "no list headed 交管动态" in warning["warning"] and "警务资讯" in warning["warning"]


def test_a_page_without_any_list_fails_the_listing_with_its_cause() -> None:
    spider, outputs = crawl_page("https://gat.example.gov.cn/x/index.html",
                                 "<html><body><p>建设中</p></body></html>")
    assert articles(outputs) == []
    [error] = spider.errors
    assert error["error"] == "detection found no article list on the page"


def article_published(listing_date: str | None) -> Any:
    from tests.detect.article_pages import cases
    from tests.registry.support import response

    case = next(c for c in cases() if c.name == "trs_meta_and_label")  # 发布时间：2026-08-28 16:05
    spider = spider_for(custom(start_urls=["https://gat.example.gov.cn/"]))
    spider.crawler.stats = Stats()  # type: ignore[misc]
    request = scrapy.Request(case.url, meta={"kind": "article", "listing_date": listing_date})
    [item] = list(spider.parse_article(response(case.url, case.html.encode(), request=request)))
    return item.published_at


def test_the_listing_date_wins_when_the_article_differs_by_more_than_a_day() -> None:
    assert article_published(None).isoformat() == "2026-08-28T16:05:00+08:00"
    assert article_published("2026-08-28").isoformat() == "2026-08-28T16:05:00+08:00"
    assert article_published("2026-08-29").isoformat() == "2026-08-28T16:05:00+08:00"
    assert article_published("2026-08-20").isoformat() == "2026-08-20T00:00:00+08:00"
