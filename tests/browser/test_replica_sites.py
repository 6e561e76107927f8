"""The replica's sites that need a browser, read without one (stdlib HTTP only).

The challenge's answers are computed here with the replica's own gate, to test the
server's side of it; the crawler never does that (it runs the page in Chromium).
"""

from __future__ import annotations

import json
import time

import pytest
from parsel import Selector

from crawlers.sources.schema import SourceConfig
from replica import BUSY_PATH, ReplicaServer, sources_config
from replica.sites import JslSite
from tests.replica.helpers import fetch

UA = "BulletinWatch-test/1"


def cookie_of(set_cookie: str) -> tuple[str, str]:
    name, _, rest = set_cookie.partition("=")
    return name, rest.split(";", 1)[0]


def test_sources_config_lists_the_browser_sites_only_when_asked() -> None:
    plain = [s["id"] for s in sources_config("http://127.0.0.1:1")]
    assert plain == ["replica-gbk", "replica-en", "replica-f1"]
    entries = {s["id"]: s for s in sources_config("http://127.0.0.1:1", browser=True)}
    assert entries["replica-jsl"]["render"] == "auto"
    assert entries["replica-jsapp"]["render"] == "always"
    assert entries["replica-jsl-strict"]["render"] == "auto"
    for entry in entries.values():
        SourceConfig.model_validate(entry)


def test_the_jsl_site_answers_521_until_the_clearance_is_right(replica: ReplicaServer) -> None:
    site = replica.site("jsl")
    assert isinstance(site, JslSite)
    gate = site.gate
    url = f"{replica.url}/jsl/xwfb/index.html"

    first = fetch(url, headers={"User-Agent": UA})
    assert first.status == 521
    name, jsluid = cookie_of(first.headers["Set-Cookie"])
    assert name == "__jsluid_s" and "HttpOnly" in first.headers["Set-Cookie"]
    assert first.text.startswith("<script>document.cookie=('_')+('_')+('jsl_clearance_s=')")
    assert "location.href=location.pathname+location.search" in first.text

    # what the page's script would set: asked of the gate itself
    now = int(time.time())
    stage_one = gate.first_clearance(jsluid, now)
    cookies = f"__jsluid_s={jsluid}; __jsl_clearance_s={stage_one}"
    second = fetch(url, headers={"User-Agent": UA, "Cookie": cookies})
    assert second.status == 521
    puzzle = json.loads(second.text.split(";go(", 1)[1].rsplit(")", 1)[0])
    assert set(puzzle) >= {"bts", "chars", "ct", "ha"} and puzzle["ha"] == "sha256"

    final = gate.final_clearance(jsluid, now)
    cookies = f"__jsluid_s={jsluid}; __jsl_clearance_s={final}"
    page = fetch(url, headers={"User-Agent": UA, "Cookie": cookies})
    assert page.status == 200
    assert len(page.selector.css("ul.list li")) == site.per_page
    article = replica.url + site.entries[0].path
    assert fetch(article, headers={"User-Agent": UA, "Cookie": cookies}).status == 200
    # the clearance is bound to the User-Agent (through __jsluid_s)
    assert fetch(url, headers={"User-Agent": "other", "Cookie": cookies}).status == 521
    # and does not last for ever
    stale = gate.final_clearance(jsluid, now - 7200)
    old = f"__jsluid_s={jsluid}; __jsl_clearance_s={stale}"
    assert fetch(url, headers={"User-Agent": UA, "Cookie": old}).status == 521


def test_the_strict_site_wants_a_browser_for_every_page(replica: ReplicaServer) -> None:
    site = replica.site("jsl-strict")
    assert isinstance(site, JslSite)
    gate = site.gate
    url = f"{replica.url}/jsls/xwfb/index.html"
    jsluid = cookie_of(fetch(url, headers={"User-Agent": UA}).headers["Set-Cookie"])[1]
    final = gate.final_clearance(jsluid, int(time.time()))
    cookies = f"__jsluid_s={jsluid}; __jsl_clearance_s={final}"
    assert fetch(url, headers={"User-Agent": UA, "Cookie": cookies}).status == 521
    browserish = {"User-Agent": UA, "Cookie": cookies, "Sec-Fetch-Mode": "navigate"}
    assert fetch(url, headers=browserish).status == 200


def test_the_jsapp_listing_is_empty_without_javascript(replica: ReplicaServer) -> None:
    site = replica.site("jsapp")
    page = fetch(f"{replica.url}/jsapp/news/index.html")
    assert page.status == 200
    assert page.selector.css("ul.news-list").get() == '<ul class="news-list"></ul>'
    assert "fetch('list_' + page + '.json'" in page.text
    listed = []
    number = 1
    while True:
        data = json.loads(fetch(f"{replica.url}/jsapp/news/list_{number}.json").body)
        assert data["page"] == number
        listed += [item["url"] for item in data["items"]]
        if data["page"] >= data["pages"]:
            break
        number += 1
    assert listed == [entry.path for entry in site.entries]
    article = Selector(text=fetch(replica.url + listed[0]).text)
    assert article.css("h1::text").get() == site.entries[0].title


def test_the_trap_lists_a_page_that_never_finishes(replica: ReplicaServer) -> None:
    trap = fetch(f"{replica.url}/jsapp/trap/index.html")
    hrefs = trap.selector.css("ul.list li a::attr(href)").getall()
    assert len(hrefs) == 4 and hrefs[-1] == BUSY_PATH
    assert "for (;;) {}" in fetch(replica.url + BUSY_PATH).text


@pytest.mark.parametrize("count", [2])
def test_publishing_reaches_the_json_list(replica: ReplicaServer, count: int) -> None:
    urls = replica.publish("jsapp", count)
    data = json.loads(fetch(f"{replica.url}/jsapp/news/list_1.json").body)
    assert [replica.url + item["url"] for item in data["items"][:count]] == urls
