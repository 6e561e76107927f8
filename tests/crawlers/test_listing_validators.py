"""A listing page's validators (ETag, Last-Modified) wait for its articles: saved only
once every new article of the page is stored, so a later 304 never hides an article
that was not. The spider's callbacks on responses built here (no reactor, no network)."""

from __future__ import annotations

from typing import Any

import scrapy

from crawlers.items import ArticleItem, ListingPageItem
from crawlers.spiders.bulletin import BulletinSpider
from tests.registry.support import custom, listing_response, response, spider_for

BASE = "http://127.0.0.1:8080/col"
LISTING = (
    "<html><body><ul class='list'>"
    + "".join(f"<li><a href='a{n}.html'>第{n}号 全省公安机关通报</a></li>" for n in (1, 2))
    + "</ul></body></html>"
).encode()
ARTICLE = (
    "<html><body><h1>全省公安机关通报</h1><div class='body'>"
    + "全省公安机关持续开展专项行动，取得明显成效。" * 10
    + "</div></body></html>"
).encode()


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def spider(**entry: Any) -> BulletinSpider:
    made = spider_for(
        custom(
            start_urls=[f"{BASE}/index.html"],
            list={"item": "ul.list li", "pages": "index_{n}.html", **entry},
            article={"title": "h1::text", "body": "div.body"},
        )
    )
    made.crawler.stats = Stats()  # type: ignore[misc]
    return made


def listing(made: BulletinSpider, body: bytes = LISTING, status: int = 200) -> list[Any]:
    page = listing_response(
        made, f"{BASE}/index.html", body, status=status, headers={"ETag": '"v1"'}
    )
    return list(made.parse_listing(page))


def read(made: BulletinSpider, request: scrapy.Request, body: bytes = ARTICLE) -> list[Any]:
    return list(made.parse_article(response(request.url, body, request=request)))


def test_the_validators_wait_for_the_last_article_of_the_page() -> None:
    made = spider(min_pages=1, max_pages=1)
    outputs = listing(made)
    articles = [o for o in outputs if isinstance(o, scrapy.Request)]
    assert [a.url for a in articles] == [f"{BASE}/a1.html", f"{BASE}/a2.html"]
    assert not [o for o in outputs if isinstance(o, ListingPageItem)]  # not yet
    first = read(made, articles[0])
    assert [type(o) for o in first] == [ArticleItem]
    last = read(made, articles[1])
    assert [type(o) for o in last] == [ArticleItem, ListingPageItem]
    validators = last[1]
    assert (validators.url, validators.etag, validators.items) == (f"{BASE}/index.html", '"v1"', 2)
    assert made.pending_listings == {}


def test_an_article_that_failed_keeps_the_validators_unsaved() -> None:
    made = spider(min_pages=1, max_pages=1)
    articles = [o for o in listing(made) if isinstance(o, scrapy.Request)]
    read(made, articles[0], b"<html><body><h1>x</h1></body></html>")  # no body: broken
    assert not [o for o in read(made, articles[1]) if isinstance(o, ListingPageItem)]


def test_a_page_of_known_articles_saves_its_validators_at_once() -> None:
    made = spider(min_pages=1, max_pages=1)
    made.known_urls = {f"{BASE}/a1.html", f"{BASE}/a2.html"}
    outputs = listing(made)
    assert [type(o) for o in outputs] == [ListingPageItem]


def test_a_304_follows_the_stored_next_page_and_sends_the_stored_validators() -> None:
    made = spider(min_pages=2, max_pages=3)
    made.listing_state = {f"{BASE}/index.html": ('"v1"', None, f"{BASE}/index_1.html")}
    request = made.listing_request(f"{BASE}/index.html", page=1, start_url=f"{BASE}/index.html")
    assert request.headers.get("If-None-Match") == b'"v1"'
    outputs = listing(made, b"", status=304)
    assert [(o.url, o.meta["page"]) for o in outputs] == [(f"{BASE}/index_1.html", 2)]
    assert made.listing_ok == 1 and made.listing_items == 0


def test_no_request_is_left_to_the_duplicate_filter() -> None:
    # The filter is the one thing that drops a request without a failed page (issue 11:
    # redirects to an article fetched in the same crawl); none of the spider's requests
    # is subject to it, so every listed URL ends stored or failed.
    made = spider()
    first = made.listing_request(f"{BASE}/index.html", page=1, start_url=f"{BASE}/index.html")
    requests = [first, *(o for o in listing(made) if isinstance(o, scrapy.Request))]
    kinds = sorted(r.meta["kind"] for r in requests)
    assert kinds == ["article", "article", "listing", "listing"]  # and the next page
    assert all(r.dont_filter for r in requests)
