"""The replica server: validators and 304s, publishing, the dead links, the log, admin."""

from __future__ import annotations

import json
import threading
import urllib.error
from urllib.parse import urljoin

import pytest

from replica import GONE_PATH, HANG_PATH, LoggedRequest, ReplicaServer

from .helpers import fetch

GBK_INDEX = "/gbk/jwzx/index.html"


def page_one_links(replica: ReplicaServer, path: str = GBK_INDEX) -> list[str]:
    url = replica.url + path
    return [
        urljoin(url, href) for href in fetch(url).selector.css("ul.list li a::attr(href)").getall()
    ]


def test_listing_answers_conditional_get_until_something_is_published(
    replica: ReplicaServer,
) -> None:
    url = replica.url + GBK_INDEX
    first = fetch(url)
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert first.status == 200 and etag and last_modified
    assert fetch(url, {"If-None-Match": etag}).status == 304
    assert fetch(url, {"If-Modified-Since": last_modified}).status == 304
    assert fetch(url, {"If-None-Match": '"other"'}).status == 200
    assert fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"}).status == 200

    replica.publish("gbk", 1)
    after = fetch(url, {"If-None-Match": etag})
    assert after.status == 200 and after.headers["ETag"] != etag
    assert fetch(url, {"If-Modified-Since": last_modified}).status == 200
    assert fetch(url, {"If-None-Match": after.headers["ETag"]}).status == 304
    page_two = replica.url + "/gbk/jwzx/index_1.html"
    assert fetch(page_two, {"If-None-Match": etag}).status == 200  # every page has its own tag


def test_article_pages_carry_no_validators(replica: ReplicaServer) -> None:
    article = fetch(page_one_links(replica)[0])
    assert article.status == 200
    assert "ETag" not in article.headers and "Last-Modified" not in article.headers


def test_publish_adds_exactly_n_links_at_the_top(replica: ReplicaServer) -> None:
    before = page_one_links(replica)
    urls = replica.publish("gbk", 3)
    after = page_one_links(replica)
    assert after[:3] == urls
    assert after[3:] == before[:-3]
    assert len(set(urls)) == 3 and not set(urls) & set(before)
    for url in urls:
        assert fetch(url).status == 200
    dates = fetch(replica.url + GBK_INDEX).selector.css("ul.list li span::text").getall()
    assert dates[0] > dates[3]  # newer than everything that was there


def test_publish_on_every_site(replica: ReplicaServer) -> None:
    for site_id, path, item in (
        ("en", "/en/news/index.html", "ul.news-list li a::attr(href)"),
        ("replica-f1", "/f1/n2253534/n2253535/index.html", "#comp_5097045 li a::attr(href)"),
    ):
        urls = replica.publish(site_id, 2)
        url = replica.url + path
        top = [urljoin(url, h) for h in fetch(url).selector.css(item).getall()[:2]]
        assert top == urls
    with pytest.raises(KeyError):
        replica.publish("nope", 1)


def test_gone_page_is_404(replica: ReplicaServer) -> None:
    listing = fetch(replica.url + "/en/news/index.html").selector
    assert GONE_PATH in listing.css("ul.news-list li a::attr(href)").getall()
    assert fetch(replica.url + GONE_PATH).status == 404


def test_hanging_page_blocks_nothing_else() -> None:
    # Held far longer than any wait below: what is answered was not waiting on the hang.
    with ReplicaServer(hang_seconds=600) as replica:
        _hanging_page_blocks_nothing_else(replica)


def _hanging_page_blocks_nothing_else(replica: ReplicaServer) -> None:
    listing = fetch(replica.url + "/en/news/index.html").selector
    assert HANG_PATH in listing.css("ul.news-list li a::attr(href)").getall()
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        fetch(replica.url + HANG_PATH, timeout=0.5)
    # while that request is still held, and another one joins it, the rest is answered
    outcome: list[BaseException] = []

    def hold() -> None:
        try:
            fetch(replica.url + HANG_PATH, timeout=900)
        except Exception as exc:  # dropped unanswered when the server stops
            outcome.append(exc)

    held = threading.Thread(target=hold)
    held.start()
    for _ in range(5):  # answered while the hanging page is held (600 s)
        assert fetch(replica.url + GBK_INDEX, timeout=60).status == 200
    assert LoggedRequest("GET", HANG_PATH, 0) in replica.requests  # logged as never answered
    replica.stop()  # releases held requests at once, not after the 600 s hang
    held.join(timeout=300)
    assert not held.is_alive() and len(outcome) == 1


def test_log_records_requests_and_clears(replica: ReplicaServer) -> None:
    fetch(replica.url + GBK_INDEX)
    fetch(replica.url + "/missing.html")
    assert replica.requests == [
        LoggedRequest("GET", GBK_INDEX, 200),
        LoggedRequest("GET", "/missing.html", 404),
    ]
    replica.clear_log()
    assert replica.requests == []


def test_admin_endpoints(replica: ReplicaServer) -> None:
    fetch(replica.url + "/en/news/index.html?x=1")
    published = fetch(f"{replica.url}/_admin/publish?site=replica-en&count=2", method="POST")
    assert published.status == 200
    urls = json.loads(published.body)
    assert len(urls) == 2 and all(fetch(url).status == 200 for url in urls)
    log = json.loads(fetch(f"{replica.url}/_admin/log").body)
    assert log[0] == {"method": "GET", "path": "/en/news/index.html?x=1", "status": 200}
    assert not any(entry["path"].startswith("/_admin/") for entry in log)
    assert fetch(f"{replica.url}/_admin/log/clear", method="POST").status == 200
    assert json.loads(fetch(f"{replica.url}/_admin/log").body) == []
    unknown = fetch(f"{replica.url}/_admin/publish?site=nope&count=1", method="POST")
    assert unknown.status == 404
    assert fetch(f"{replica.url}/_admin/publish?site=gbk&count=x", method="POST").status == 400
    sources = json.loads(fetch(f"{replica.url}/_admin/sources").body)
    assert sources == replica.sources_config()
