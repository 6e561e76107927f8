"""A request robots.txt forbids is refused with the code ``robots_disallowed``."""

from __future__ import annotations

import pytest
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from crawlers.robots import RobotsDisallowed, RobotsMiddleware, robots_url
from crawlers.runner import crawl_settings
from storage.status import ErrorCode, classify

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


def middleware(obey: bool = True) -> RobotsMiddleware:
    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": obey})
    return RobotsMiddleware.from_crawler(crawler)


def test_a_forbidden_request_is_refused_with_its_code_and_robots_txt() -> None:
    robots = middleware()
    parser = build_from_crawler(ProtegoRobotParser, robots.crawler, ROBOTS)
    robots.process_request_2(parser, Request("http://127.0.0.1:8080/public/1.html"))  # allowed

    with pytest.raises(RobotsDisallowed) as refused:
        robots.process_request_2(parser, Request("http://127.0.0.1:8080/private/2.html?a=1"))
    assert isinstance(refused.value, IgnoreRequest)  # Scrapy drops it like its own refusal
    assert refused.value.url == "http://127.0.0.1:8080/private/2.html?a=1"
    assert (
        str(refused.value)
        == "forbidden by the site's robots.txt (http://127.0.0.1:8080/robots.txt)"
    )
    assert classify(refused.value) == ErrorCode.ROBOTS_DISALLOWED


def test_without_a_robots_txt_everything_is_allowed() -> None:
    middleware().process_request_2(None, Request("http://127.0.0.1/private/2.html"))


def test_it_is_off_where_robots_txt_is_not_obeyed() -> None:
    with pytest.raises(NotConfigured):
        middleware(obey=False)


def test_the_crawl_uses_it_in_place_of_scrapys() -> None:
    settings = crawl_settings(database_url="sqlite://", timezone="UTC")
    chain = settings.getwithbase("DOWNLOADER_MIDDLEWARES")
    assert chain["crawlers.robots.RobotsMiddleware"] == 100
    assert chain["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] is None


def test_robots_url() -> None:
    assert robots_url("https://www.mps.gov.cn:8443/n2253534/x.html?q=1#f") == (
        "https://www.mps.gov.cn:8443/robots.txt"
    )
