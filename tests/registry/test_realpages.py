"""The registry's families and corrected sources on the real saved pages
(tests/fixtures/realpages, from ../shared/realpages), read through their spiders."""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import scrapy
from lxml import etree

from crawlers.items import ArticleItem
from crawlers.selectors import select
from crawlers.spiders.bulletin import BulletinSpider
from crawlers.spiders.f1 import F1Spider, main_component
from crawlers.spiders.trs import TrsSpider
from tests.registry.support import builtin, custom, listing_response, response, spider_for

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "realpages"
TRUTH: dict[str, Any] = json.loads((PAGES / "expected.json").read_text("utf-8"))
CST = ZoneInfo("Asia/Shanghai")
MPS_HOME = "https://www.mps.gov.cn/index.html"
NDRC = "https://www.ndrc.gov.cn/xxgk/zcfb/tz/index.html"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


class Stats:
    """The counters a run keeps (Scrapy's stats collector, in memory)."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def article(spider: BulletinSpider, url: str, body: bytes) -> ArticleItem:
    request = scrapy.Request(url, meta={"kind": "article"})
    [item] = list(spider.parse_article(response(url, body, request=request)))
    assert isinstance(item, ArticleItem), item
    return item


def test_f1_reads_the_real_mps_home_page_without_comp_ids() -> None:
    spider = spider_for(custom(family="f1", start_urls=[MPS_HOME]))
    assert isinstance(spider, F1Spider)
    home = listing_response(spider, MPS_HOME, page("www.mps.gov.cn/index_home_2026-09.html"))
    urls = [e.url for e in spider.listing_entries(home)]
    # grouped by nearest list (no comp_ ids), the one with the most c{id}/content.html
    # links: 热点问答's 8 (公安要闻 has 6); the selectors used to find nothing at all
    assert len(urls) == 8
    assert all(u.startswith("https://www.mps.gov.cn/n2254536/n2254858/c") for u in urls)


def test_f1_groups_the_home_page_lists_the_same_way_whatever_the_memory_holds() -> None:
    """The lists were told apart by id() of short-lived lxml proxies: one list could get
    two ids and two lists one, so the page read 8 items or 15 depending on what else
    had been allocated (seen once in five `make test` runs)."""
    spider = spider_for(custom(family="f1", start_urls=[MPS_HOME]))
    home = listing_response(spider, MPS_HOME, page("www.mps.gov.cn/index_home_2026-09.html"))
    rng = random.Random(1)
    sizes = set()
    churn: list[Any] = []
    for _ in range(300):
        churn[:] = [etree.Element("x") for _ in range(rng.randint(0, 50))]  # moves the heap
        nodes = select(home.selector, spider.source.list.item)
        _comp, chosen = main_component(nodes)
        sizes.add(len(chosen))
    assert sizes == {8}


def test_trs_family_reads_the_ndrc_column_without_its_nested_popups() -> None:
    spider = spider_for(builtin("moj-news"))
    assert isinstance(spider, TrsSpider)
    listing = listing_response(spider, NDRC, page("www.ndrc.gov.cn/xxgk_zcfb_tz_list_sample.html"))
    entries = spider.listing_entries(listing)
    truth = TRUTH["www.ndrc.gov.cn/xxgk_zcfb_tz_list_sample.html"]
    base = "https://www.ndrc.gov.cn/xxgk/zcfb/tz/"
    assert [e.url for e in entries] == [base + t["href"][2:] for t in truth["items"]]
    assert [e.date for e in entries] == [t["date"].replace("-", "/") for t in truth["items"]]
    assert spider.next_listing_url(listing, 1, NDRC) == base + "index_1.html"


def test_gov_portal_reads_25_on_ndrc_and_no_other_sites_on_the_mps_home_page() -> None:
    spider = spider_for(custom(family="gov-portal", start_urls=[NDRC]))
    listing = listing_response(spider, NDRC, page("www.ndrc.gov.cn/xxgk_zcfb_tz_list_sample.html"))
    assert len(spider.listing_entries(listing)) == 25
    home = listing_response(spider, MPS_HOME, page("www.mps.gov.cn/index_home_2026-09.html"))
    urls = [e.url for e in spider.listing_entries(home)]
    assert urls and all(u.startswith("https://www.mps.gov.cn/") for u in urls)


def test_a_source_without_list_item_follows_the_detected_list_of_its_heading() -> None:
    # the page's Chinese is garbled (UTF-8 read as Latin-1, C1 controls lost in copying)
    heading = "".join(c for c in "新闻发布".encode().decode("latin-1") if c >= "\xa0")
    source = custom(start_urls=[MPS_HOME], list={"heading": ["公安要闻", heading]})
    spider = spider_for(source)
    spider.crawler.stats = Stats()  # type: ignore[misc]
    home = listing_response(spider, MPS_HOME, page("www.mps.gov.cn/index_home_2026-09.html"))
    outputs = list(spider.parse_listing(home))
    requested = [o.url for o in outputs if isinstance(o, scrapy.Request)]
    truth = next(lst for lst in TRUTH["www.mps.gov.cn/index_home_2026-09.html"]["lists"]
                 if lst["name"] == "新闻发布")
    assert requested == [f"https://www.mps.gov.cn/{href}" for href in truth["hrefs"]]
    assert spider.crawler.stats.get_value("bulletins/listing_detected") == 1
    assert spider.errors == [] and spider.listing_warnings == []


def test_gs_gat_dates_the_gansu_article_by_its_visible_date_not_the_generation_stamp() -> None:
    spider = spider_for(builtin("gs-gat"))
    url = "https://fzgg.gansu.gov.cn/fzgg/c106200/202503/174084153.shtml"
    item = article(spider, url, page("fzgg.gansu.gov.cn/tzgg_article_1.html"))
    assert item.published_at == datetime(2025, 2, 26, 11, 54, tzinfo=CST)
    assert item.text.startswith("各市、自治州人民政府")
    assert item.text.endswith("2025年2月25日")


def test_gov_home_articles_without_selectors_read_the_gansu_page_right_too() -> None:
    spider = spider_for(builtin("nx-gat"))  # gov-home: no article selectors at all
    url = "https://fzgg.gansu.gov.cn/fzgg/c106200/202503/174084153.shtml"
    item = article(spider, url, page("fzgg.gansu.gov.cn/tzgg_article_1.html"))
    truth = TRUTH["fzgg.gansu.gov.cn/tzgg_article_1.html"]
    assert item.title == truth["title"]
    assert item.published_at == datetime(2025, 2, 26, 11, 54, tzinfo=CST)
    assert item.text.startswith("各市、自治州人民政府") and "字号" not in item.text


def test_articles_of_the_zhejiang_and_trs_families() -> None:
    zj = article(spider_for(custom(family="zhejiang", start_urls=["http://fgw.zj.gov.cn/"])),
                 "http://fgw.zj.gov.cn/art/2016/11/22/art_1621004_30332664.html",
                 page("fgw.zj.gov.cn/art_1621004_30332664.html"))
    assert zj.title == "1-10月德清县固定资产投资结构趋稳趋优"
    assert zj.published_at == datetime(2016, 11, 22, 9, 53, tzinfo=CST)
    sx = article(spider_for(builtin("sn-gat")),
                 "http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_693227.shtml",
                 page("www.shanxi.gov.cn/article_gne_shanxi_1.html"))
    assert sx.title == "山西品牌丝路行（南美站）正式启动"
    assert sx.published_at == datetime(2019, 9, 18, 6, 23, tzinfo=CST)
    assert sx.text.endswith("（张巨峰）")


def test_the_registry_carries_the_hosts_and_columns_the_real_pages_show() -> None:
    assert builtin("mps-press").start_urls == ["https://www.mps.gov.cn/n2253534/n2253875/index.html"]
    assert "新闻发布" in builtin("mps-press").name
    assert builtin("mps-data").start_urls == ["https://www.mps.gov.cn/n2254314/n6409334/index.html"]
    assert "数据信息" in builtin("mps-data").name
    assert builtin("sx-gat").start_urls == ["https://gat.shanxi.gov.cn/"]
    assert builtin("hl-gat").start_urls == ["https://gat.hlj.gov.cn/"]
    guangxi = builtin("gx-gat")
    assert guangxi.family != "f1" and guangxi.spider == "generic"
    assert guangxi.start_urls == ["https://gat.gxzf.gov.cn/jwzx/gayw/"]
    assert guangxi.list.item is None  # read by detection
    assert builtin("spp-xwfbh").start_urls == ["https://www.spp.gov.cn/spp/wsfbt/index.shtml"]
    assert builtin("spp-qwfb").list.item.startswith("div.commonList_con ul.li_line > li")
    assert builtin("gs-gat").article.date and "日期" in builtin("gs-gat").article.date
    assert builtin("mps-en").list.item is None


def test_jiangxi_family_turns_the_real_column_page_into_its_querylist_post() -> None:
    url = "https://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/index.html"
    spider = spider_for(custom(family="jiangxi", start_urls=[url]))
    column = listing_response(spider, url, page("sthjt.jiangxi.gov.cn/column_debug_page_1.html"))
    [request] = list(spider.parse_listing(column))
    assert isinstance(request, scrapy.FormRequest)
    assert request.url == "https://sthjt.jiangxi.gov.cn/queryList"
    form = dict(pair.split("=", 1) for pair in request.body.decode().split("&"))
    assert form["webSiteCode%5B%5D"] == "jxssthjt" and form["channelCode%5B%5D"] == "col42150"
    assert form["channelId"] == "1765025142823501824"
    assert form["websiteId"] == "1753255916894359552"
