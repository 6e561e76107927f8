"""Each CMS family reads its fixture pages through its real spider class.

The fixtures in tests/fixtures/families/<family>/ copy each family's markup as
SITES.md records it (gov meta tags, the family's date formats, relative hrefs);
the sources are the built-in ones where a built-in source of the family exists,
so these tests also cover the registry's overrides.
"""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import scrapy

from crawlers.items import ArticleItem
from crawlers.spiders import SPIDERS
from crawlers.spiders.bulletin import BulletinSpider
from crawlers.spiders.f1 import F1Spider
from crawlers.spiders.hanweb import HanwebSpider, ZhejiangSpider
from crawlers.spiders.jiangxi import JiangxiSpider
from crawlers.spiders.portal import PortalSpider, looks_like_article
from crawlers.spiders.trs import TrsSpider
from tests.registry.support import (
    builtin,
    custom,
    fixture,
    listing_response,
    response,
    spider_for,
)

CST = ZoneInfo("Asia/Shanghai")


def article(spider: BulletinSpider, url: str, body: bytes, **meta: object) -> ArticleItem:
    request = scrapy.Request(url, meta={"kind": "article", **meta})
    items = list(spider.parse_article(response(url, body, request=request)))
    assert len(items) == 1
    item = items[0]
    assert isinstance(item, ArticleItem), item
    return item


# --- F1 ----------------------------------------------------------------------------

MPS_COLUMN = "https://www.mps.gov.cn/n2253534/n2253535/index.html"


def test_f1_listing_takes_the_main_component_and_resolves_relative_hrefs() -> None:
    spider = spider_for(builtin("mps-news"))
    assert isinstance(spider, F1Spider)
    page = listing_response(spider, MPS_COLUMN, fixture("f1", "listing.html"))
    entries = spider.listing_entries(page)
    assert [e.url for e in entries] == [
        "https://www.mps.gov.cn/n2253534/n2253535/c9391234/content.html",
        "https://www.mps.gov.cn/n2253534/n2253535/c9391102/content.html",
        "https://www.mps.gov.cn/n2253534/n2253535/c9390877/content.html",
        "https://www.mps.gov.cn/n2253534/n2253535/c9390651/content.html",
    ]
    # the anchor's title attribute beats its cut-short text
    assert entries[3].title == "公安部召开新闻发布会通报“净网2024”专项行动进展"
    assert entries[0].date == "2024-05-12"


def test_f1_generic_component_choice_without_a_pinned_comp_id() -> None:
    spider = spider_for(builtin("mps-press"))  # the family's generic [id^=comp_] selector
    page = listing_response(spider, MPS_COLUMN, fixture("f1", "listing.html"))
    urls = [e.url for e in spider.listing_entries(page)]
    assert len(urls) == 4 and all("/n2253535/c" in u for u in urls)  # not the sidebar, not the nav


def test_f1_pages_count_down_through_fragments() -> None:
    spider = spider_for(builtin("mps-news"))
    page = listing_response(spider, MPS_COLUMN, fixture("f1", "listing.html"))
    second = spider.next_listing_url(page, 1, MPS_COLUMN)
    assert second == "https://www.mps.gov.cn/n2253534/n2253535/index_5097045_274.html"

    fragment = listing_response(
        spider, second, fixture("f1", "fragment.html"), page=2, start_url=MPS_COLUMN
    )
    entries = spider.listing_entries(fragment)
    assert [e.url.rsplit("/", 2)[1] for e in entries] == ["c9387210", "c9386954", "c9386301"]
    assert entries[1].title == "全国公安机关缉捕在逃人员1.2万名"
    third = spider.next_listing_url(fragment, 2, MPS_COLUMN)
    assert third is not None and third.endswith("index_5097045_273.html")

    oldest = listing_response(
        spider,
        "https://www.mps.gov.cn/n2253534/n2253535/index_5097045_1.html",
        fixture("f1", "fragment.html"),
        page=4,
        start_url=MPS_COLUMN,
    )
    assert spider.next_listing_url(oldest, 4, MPS_COLUMN) is None


def test_f1_page_count_from_the_cookie_and_old_dl_lists() -> None:
    spider = spider_for(builtin("mps-tips"))
    column = "https://www.mps.gov.cn/n2253534/n2253543/index.html"
    body = (
        b"<html><head><title>\xe8\xad\xa6\xe6\x96\xb9\xe6\x8f\x90\xe7\xa4\xba</title></head><body>"
        b'<div id="comp_3497341"><dl>'
        b'<dd><a href="../../../n2253534/n2253543/c6363222/content.html">A</a>'
        b"<span>(2019-01-02)</span></dd>"
        b'<dd><a href="../../../n2253534/n2253543/c6363101/content.html">B</a>'
        b"<span>(2018-12-28)</span></dd>"
        b"</dl></div></body></html>"
    )
    page = listing_response(
        spider, column, body, headers={"Set-Cookie": "maxPageNum3497341=12; Path=/"}
    )
    entries = spider.listing_entries(page)
    assert [e.date for e in entries] == ["(2019-01-02)", "(2018-12-28)"]
    assert spider.next_listing_url(page, 1, column) == (
        "https://www.mps.gov.cn/n2253534/n2253543/index_3497341_11.html"
    )
    old_fragment = listing_response(
        spider,
        "https://www.mps.gov.cn/n2253534/n2253543/index_3497341_11.html",
        b"<dl><dd><a href='../../../n2253534/n2253543/c6300001/content.html'>C</a>"
        b"<span>(2018-11-02)</span></dd></dl>",
        page=2,
        start_url=column,
    )
    assert [e.url for e in spider.listing_entries(old_fragment)] == [
        "https://www.mps.gov.cn/n2253534/n2253543/c6300001/content.html"
    ]


def test_f1_parse_listing_yields_articles_state_and_the_next_fragment() -> None:
    spider = spider_for(builtin("mps-news"))
    page = listing_response(spider, MPS_COLUMN, fixture("f1", "listing.html"))
    out = list(spider.parse_listing(page))
    requests = [o for o in out if isinstance(o, scrapy.Request)]
    articles = [r for r in requests if r.meta["kind"] == "article"]
    nexts = [r for r in requests if r.meta["kind"] == "listing"]
    assert len(articles) == 4
    assert articles[0].meta["listing_date"] == "2024-05-12"
    assert [r.url for r in nexts] == [
        "https://www.mps.gov.cn/n2253534/n2253535/index_5097045_274.html"
    ]
    assert nexts[0].meta["page"] == 2
    assert spider.listing_ok == 1 and spider.listing_items == 4
    assert spider.errors == []


def test_f1_skips_a_redirect_only_fragment() -> None:
    spider = spider_for(builtin("mps-news"))
    url = "https://www.mps.gov.cn/n2253534/n2253535/index_5097045_200.html"
    stub = b'<script>window.location.href="../../../n2253534/n2253535/index.html";</script>'
    page = listing_response(spider, url, stub, page=2, start_url=MPS_COLUMN)
    out = list(spider.parse_listing(page))
    assert spider.errors == []
    assert [r.url for r in out if isinstance(r, scrapy.Request)] == [
        "https://www.mps.gov.cn/n2253534/n2253535/index_5097045_199.html"
    ]


def test_f1_article() -> None:
    spider = spider_for(builtin("mps-news"))
    url = "https://www.mps.gov.cn/n2253534/n2253535/c9391234/content.html"
    item = article(spider, url, fixture("f1", "article.html"))
    assert item.title == "公安部部署开展夏季治安打击整治行动 全国公安机关破获刑事案件12.6万起"
    assert item.published_at == datetime(2024, 5, 12, 10, 30, tzinfo=CST)
    assert "破获刑事案件12.6万起" in item.text
    assert "百万警进千万家" in item.text
    assert "相关新闻" not in item.text and "京ICP备" not in item.text


def test_f1_article_date_from_the_meta_line_without_pubdate() -> None:
    spider = spider_for(builtin("mps-news"))
    body = fixture("f1", "article.html").replace(
        b'<meta name="PubDate" content="2024-05-12 10:30" />', b""
    )
    item = article(spider, "https://www.mps.gov.cn/n2253534/n2253535/c1/content.html", body)
    assert item.published_at == datetime(2024, 5, 12, tzinfo=CST)


# --- F2 TRS ------------------------------------------------------------------------

SN_COLUMN = "https://gat.shaanxi.gov.cn/sy/dtyw/index.html"


def test_trs_listing_and_paging() -> None:
    spider = spider_for(builtin("sn-gat"))
    assert isinstance(spider, TrsSpider)
    page = listing_response(spider, SN_COLUMN, fixture("trs", "listing.html"))
    entries = spider.listing_entries(page)
    assert entries[0].url == "https://gat.shaanxi.gov.cn/sy/dtyw/202405/t20240512_3605253.html"
    assert entries[1].title == "全省公安机关“夏季行动”首月战果：抓获违法犯罪嫌疑人3100余名"
    assert entries[2].date == "2024-05-07"
    assert len(entries) == 4  # a repost of the ministry's release is listed too
    assert spider.next_listing_url(page, 1, SN_COLUMN) == (
        "https://gat.shaanxi.gov.cn/sy/dtyw/index_1.html"
    )
    assert spider.next_listing_url(page, 5, SN_COLUMN) == (
        "https://gat.shaanxi.gov.cn/sy/dtyw/index_5.html"
    )
    assert spider.next_listing_url(page, 12, SN_COLUMN) is None  # countPage = 12


def test_trs_article() -> None:
    spider = spider_for(builtin("sn-gat"))
    url = "https://gat.shaanxi.gov.cn/sy/dtyw/202405/t20240512_3605253.html"
    item = article(spider, url, fixture("trs", "article.html"))
    assert item.title == "陕西警方破获特大跨境网络赌博案 涉案资金流水27亿元"
    assert item.published_at == datetime(2024, 5, 12, 9, 30, tzinfo=CST)
    assert "涉案资金流水27亿元" in item.text
    assert "margin-top" not in item.text  # the TRS <style> is not text
    assert "打印本页" not in item.text


def test_trs_shtml_pages_of_the_procuratorate() -> None:
    spider = spider_for(builtin("spp-qwfb"))
    column = "https://www.spp.gov.cn/spp/qwfb/index.shtml"
    body = (
        '<html><head><title>权威发布</title></head><body><div class="commonList_con">'
        '<ul class="li_line"><li><a href="./202609/t20260908_736302.shtml">'
        '<span class="title">招商局集团原副总经理李百安涉嫌受贿被提起公诉</span>'
        '<span class="data">2026-09-08</span></a></li></ul></div>'
        '<script>createPageHTML(30, 0, "index", "shtml");</script></body></html>'
    ).encode()
    page = listing_response(spider, column, body)
    [entry] = spider.listing_entries(page)
    assert entry.url == "https://www.spp.gov.cn/spp/qwfb/202609/t20260908_736302.shtml"
    assert entry.title == "招商局集团原副总经理李百安涉嫌受贿被提起公诉"
    assert entry.date == "2026-09-08"
    assert spider.next_listing_url(page, 1, column) == (
        "https://www.spp.gov.cn/spp/qwfb/index_1.shtml"
    )


# --- F3 Hanweb ---------------------------------------------------------------------

JS_COLUMN = "https://gat.jiangsu.gov.cn/col/col6372/index.html"


def test_hanweb_records_from_the_datastore_script() -> None:
    spider = spider_for(builtin("js-gat"))
    assert isinstance(spider, HanwebSpider)
    page = listing_response(spider, JS_COLUMN, fixture("hanweb", "listing.html"))
    entries = spider.listing_entries(page)
    # the page carries the same records twice (PC and mobile lists): kept once
    assert [e.url for e in entries] == [
        "https://gat.jiangsu.gov.cn/art/2024/5/12/art_6372_11834669.html",
        "https://gat.jiangsu.gov.cn/art/2024/5/10/art_6372_11834121.html",
        "https://gat.jiangsu.gov.cn/art/2024/5/8/art_6372_11833560.html",
    ]
    assert entries[0].title == "江苏公安机关开展“净网”专项行动 侦破网络犯罪案件1500余起"
    assert entries[0].date == "2024-05-12"


def test_hanweb_later_groups_are_posted_to_dataproxy() -> None:
    spider = spider_for(builtin("js-gat"))
    page = listing_response(spider, JS_COLUMN, fixture("hanweb", "listing.html"))
    url = spider.next_listing_url(page, 1, JS_COLUMN)
    assert url == (
        "https://gat.jiangsu.gov.cn/module/web/jpage/dataproxy.jsp"
        "?startrecord=4&endrecord=48&perpage=15"
    )
    request = spider.listing_request(url, page=2, start_url=JS_COLUMN)
    assert request.method == "POST"
    form = parse_qs(request.body.decode())
    assert form["columnid"] == ["6372"] and form["unitid"] == ["423711"]
    assert form["webname"] == ["江苏省公安厅"] and form["col"] == ["1"]
    assert request.meta["kind"] == "listing" and request.meta["page"] == 2

    reply = response(
        url, fixture("hanweb", "dataproxy.xml"), request=request, content_type="text/xml"
    )
    entries = spider.listing_entries(reply)
    assert [e.title for e in entries] == [
        "苏州警方破获一起特大非法集资案 涉案金额超10亿元",
        "全省交警部门开展清明节道路交通安全整治",
    ]
    assert spider.next_listing_url(reply, 2, JS_COLUMN) is None  # a short group is the last


def test_hanweb_article() -> None:
    spider = spider_for(builtin("js-gat"))
    url = "https://gat.jiangsu.gov.cn/art/2024/5/12/art_6372_11834669.html"
    item = article(spider, url, fixture("hanweb", "article.html"))
    assert item.title == "江苏公安机关开展“净网”专项行动 侦破网络犯罪案件1500余起"
    assert item.published_at == datetime(2024, 5, 12, 16, 28, tzinfo=CST)
    assert "关停违法网站360余个" in item.text


# --- F3 Jiangxi /queryList -----------------------------------------------------------

JX_COLUMN = "https://gat.jiangxi.gov.cn/jxsgat/col/col14590/index.html"


def jiangxi_source() -> object:
    return builtin("jx-gat").model_copy(update={"start_urls": [JX_COLUMN]})


def test_jiangxi_column_page_turns_into_a_post_to_querylist() -> None:
    spider = spider_for(jiangxi_source())  # type: ignore[arg-type]
    assert isinstance(spider, JiangxiSpider)
    page = listing_response(spider, JX_COLUMN, fixture("jiangxi", "column.html"))
    [request] = list(spider.parse_listing(page))
    assert isinstance(request, scrapy.FormRequest)
    assert request.method == "POST" and request.url == "https://gat.jiangxi.gov.cn/queryList"
    form = parse_qs(request.body.decode())
    assert form["webSiteCode[]"] == ["jxsgat"] and form["channelCode[]"] == ["col14590"]
    assert form["channelId"] == ["1754390189518807040"]
    assert form["current"] == ["1"] and form["pageSize"] == ["15"]
    assert request.meta["api"] is True and request.meta["page"] == 1
    assert spider.errors == []


def test_jiangxi_json_results_become_entries() -> None:
    spider = spider_for(jiangxi_source())  # type: ignore[arg-type]
    column = listing_response(spider, JX_COLUMN, fixture("jiangxi", "column.html"))
    [request] = list(spider.parse_listing(column))
    reply = response(
        request.url,
        fixture("jiangxi", "querylist.json"),
        request=request,
        content_type="application/json;charset=UTF-8",
    )
    entries = spider.listing_entries(reply)
    assert [e.url for e in entries] == [
        "https://gat.jiangxi.gov.cn/jxsgat/col/col14590/content/content_2098331399481798656.html",
        "https://gat.jiangxi.gov.cn/jxsgat/col/col14590/content/content_2097628395954843648.html",
        "https://gat.jiangxi.gov.cn/jxsgat/col/col14590/content/content_2096991023514927104.html",
    ]
    assert entries[0].title == "江西警方破获一起特大电信网络诈骗案 抓获犯罪嫌疑人83名"
    assert entries[1].date == "2024-05-10 00:00:00"  # epoch milliseconds, Beijing time
    assert spider.next_listing_url(reply, 1, JX_COLUMN) == "https://gat.jiangxi.gov.cn/queryList"
    assert spider.next_listing_url(reply, 3, JX_COLUMN) is None  # 3 x 15 >= 41
    second = spider.listing_request(
        "https://gat.jiangxi.gov.cn/queryList", page=2, start_url=JX_COLUMN
    )
    assert parse_qs(second.body.decode())["current"] == ["2"]


def test_jiangxi_article_with_publishtime() -> None:
    spider = spider_for(jiangxi_source())  # type: ignore[arg-type]
    url = "https://gat.jiangxi.gov.cn/jxsgat/col/col14590/content/content_2098331399481798656.html"
    item = article(spider, url, fixture("jiangxi", "article.html"))
    assert item.title == "江西警方破获一起特大电信网络诈骗案 抓获犯罪嫌疑人83名"
    assert item.published_at == datetime(2024, 5, 12, 10, 0, tzinfo=CST)
    assert "抓获犯罪嫌疑人83名" in item.text
    assert "赣ICP备" not in item.text


# --- F3 Zhejiang unit build API -------------------------------------------------------

ZJ_COLUMN = "https://gat.zj.gov.cn/col/col1229565788/index.html"


def zhejiang_source() -> object:
    return custom(name="浙江省公安厅 警务动态", family="zhejiang", start_urls=[ZJ_COLUMN])


def test_zhejiang_column_page_names_the_unit_api() -> None:
    spider = spider_for(zhejiang_source())  # type: ignore[arg-type]
    assert isinstance(spider, ZhejiangSpider)
    page = listing_response(spider, ZJ_COLUMN, fixture("zhejiang", "column.html"))
    [request] = list(spider.parse_listing(page))
    parts = urlsplit(request.url)
    assert parts.path == "/api-gateway/jpaas-publish-server/front/page/build/unit"
    query = parse_qs(parts.query)
    assert query["tagId"] == ["信息列表"] and query["pageId"] == ["1229565788"]
    assert json.loads(query["paramJson"][0]) == {"pageNo": 1, "pageSize": 15, "search": ""}
    assert request.meta["api"] is True

    reply = response(
        request.url,
        fixture("zhejiang", "unit.json"),
        request=request,
        content_type="application/json",
    )
    entries = spider.listing_entries(reply)
    assert [e.url for e in entries] == [
        "https://gat.zj.gov.cn/col/col1229565788/art/2024/art_937add6719f140bdac86d5b97c525d28.html",
        "https://gat.zj.gov.cn/col/col1229565788/art/2024/art_df23514f54b13049bd314a791d1facee.html",
        "https://gat.zj.gov.cn/art/2024/5/6/art_1229565788_2578716.html",
    ]
    assert entries[0].title == "浙江警方开展打击治理电信网络诈骗“断卡”行动 查处涉案账户2.1万个"
    assert entries[0].date == "2024-05-12"
    nxt = spider.next_listing_url(reply, 1, ZJ_COLUMN)
    assert nxt is not None
    assert json.loads(parse_qs(urlsplit(nxt).query)["paramJson"][0])["pageNo"] == 2
    assert spider.next_listing_url(reply, 26, ZJ_COLUMN) is None  # count 388, rows 15


def test_zhejiang_article() -> None:
    spider = spider_for(zhejiang_source())  # type: ignore[arg-type]
    url = (
        "https://gat.zj.gov.cn/col/col1229565788/art/2024/art_937add6719f140bdac86d5b97c525d28.html"
    )
    item = article(spider, url, fixture("zhejiang", "article.html"))
    assert item.published_at == datetime(2024, 5, 12, 15, 20, tzinfo=CST)
    assert "查处涉案电话卡、银行账户2.1万个" in item.text


# --- F4 Guangdong -------------------------------------------------------------------

GD_COLUMN = "https://gdga.gd.gov.cn/jwzx/jwyw/index.html"


def test_gdga_listing_and_index_2_paging() -> None:
    spider = spider_for(builtin("gd-gat"))
    page = listing_response(spider, GD_COLUMN, fixture("gdga", "listing.html"))
    entries = spider.listing_entries(page)
    assert entries[0].url == "https://gdga.gd.gov.cn/jwzx/jwyw/content/post_4433211.html"
    assert len(entries) == 3 and entries[1].date == "2024-05-10"
    assert (
        spider.next_listing_url(page, 1, GD_COLUMN)
        == "https://gdga.gd.gov.cn/jwzx/jwyw/index_2.html"
    )
    assert (
        spider.next_listing_url(page, 2, GD_COLUMN)
        == "https://gdga.gd.gov.cn/jwzx/jwyw/index_3.html"
    )


def test_gdga_article_body_is_the_last_trs_editor() -> None:
    spider = spider_for(builtin("gd-gat"))
    url = "https://gdga.gd.gov.cn/jwzx/jwyw/content/post_4433211.html"
    item = article(spider, url, fixture("gdga", "article.html"))
    assert item.title == "广东警方“飓风”专项行动战果：打掉涉诈团伙680个"
    assert item.published_at == datetime(2024, 5, 12, 11, 45, tzinfo=CST)
    assert "打掉涉诈团伙680个" in item.text and "拦截诈骗电话1360万个" in item.text
    assert "温馨提示" not in item.text  # the first, longer TRS_Editor is not the body


# --- F5 gov.cn ------------------------------------------------------------------------


def test_govcn_listing_and_article() -> None:
    spider = spider_for(builtin("govcn-bumen"))
    column = "https://www.gov.cn/lianbo/bumen/index.htm"
    page = listing_response(spider, column, fixture("govcn", "listing.htm"))
    entries = spider.listing_entries(page)
    assert [e.url for e in entries] == [
        "https://www.gov.cn/lianbo/bumen/202405/content_6950123.htm",
        "https://www.gov.cn/lianbo/bumen/202405/content_6949987.htm",
        "https://www.gov.cn/lianbo/bumen/202405/content_6949701.htm",
    ]
    assert entries[0].date == "2024-05-12"
    item = article(spider, entries[0].url, fixture("govcn", "article.htm"))
    assert item.title == "公安部：今年以来共破获电信网络诈骗案件8.3万起"
    # firstpublishedtime in its literal "YYYY-MM-DD-HH:mm:ss" form
    assert item.published_at == datetime(2024, 5, 12, 10, 30, tzinfo=CST)
    assert "拦截诈骗电话4100万次" in item.text and "责任编辑" not in item.text


# --- F6 Yunnan --------------------------------------------------------------------------


def test_yunnan_listing_and_article() -> None:
    spider = spider_for(builtin("yn-gat"))
    start = "https://gonganting.yn.gov.cn/list6445.aspx?page=1"
    page = listing_response(spider, start, fixture("yunnan", "listing.html"))
    entries = spider.listing_entries(page)
    assert entries[0].url == "https://gonganting.yn.gov.cn/Pages_6445_858919.aspx"
    assert entries[0].title == "云南警方破获特大跨境毒品案 缴获毒品1.2吨"
    assert "2024-5-12" in (entries[0].date or "")
    assert spider.next_listing_url(page, 1, start) == (
        "https://gonganting.yn.gov.cn/list6445.aspx?page=2"
    )
    item = article(spider, entries[0].url, fixture("yunnan", "article.html"))
    assert item.title == "云南警方破获特大跨境毒品案 缴获毒品1.2吨"
    assert item.published_at == datetime(2024, 5, 12, 9, 15, tzinfo=CST)
    assert "缴获毒品8.6吨" in item.text and "点击数" not in item.text


# --- gov-portal: home pages of unknown CMS ---------------------------------------------


def test_portal_keeps_only_links_that_look_like_articles() -> None:
    spider = spider_for(custom(family="gov-portal", start_urls=["https://gat.nx.gov.cn/"]))
    assert isinstance(spider, PortalSpider)
    page = listing_response(spider, "https://gat.nx.gov.cn/", fixture("gov-portal", "listing.html"))
    entries = spider.listing_entries(page)
    assert [e.url for e in entries] == [
        "https://gat.nx.gov.cn/jwzx/jwdt/202405/t20240512_4501234.html",
        "https://gat.nx.gov.cn/jwzx/jwdt/202405/t20240509_4500987.html",
    ]
    item = article(spider, entries[0].url, fixture("gov-portal", "article.html"))
    assert item.title.startswith("宁夏公安机关开展夏季治安打击整治行动")
    assert item.published_at == datetime(2024, 5, 12, 16, 5, tzinfo=CST)
    assert "抓获违法犯罪嫌疑人860余名" in item.text  # main text found without a selector
    assert "宁ICP备" not in item.text


@pytest.mark.parametrize(
    "url",
    [
        "https://gat.sc.gov.cn/scgat/c103388/2024/9/14/989b5a1dc4cf4acd934c96999bb23ee0.shtml",
        "https://hnga.henan.gov.cn/2024/05-12/3012345.html",
        "https://gaj.sh.gov.cn/shga/20240512/0b1c2d3e4f.html",
        "https://www.court.gov.cn/zixun/xiangqing/447611.html",
        "https://gat.jiangsu.gov.cn/art/2024/5/12/art_6372_11834669.html",
        "https://www.mps.gov.cn/n2253534/n2253535/c9391234/content.html",
    ],
)
def test_portal_article_url_shapes(url: str) -> None:
    assert looks_like_article(url)


@pytest.mark.parametrize(
    "url", ["https://gat.nx.gov.cn/jwzx/", "https://gat.nx.gov.cn/bsfw/hzfw/index.html"]
)
def test_portal_rejects_columns(url: str) -> None:
    assert not looks_like_article(url)


# --- every family has its fixtures and its spider ---------------------------------------


def test_every_family_has_fixtures_and_a_registered_spider() -> None:
    from crawlers.sources.registry import families
    from tests.registry.support import FAMILIES

    for name, spec in families().items():
        assert (FAMILIES / name).is_dir(), f"no fixtures for family {name}"
        assert spec.get("spider", "generic") in SPIDERS, name


# --- gov-home and detected: no selectors, read by detection -------------------------------


def test_gov_home_follows_the_list_under_the_first_known_heading_of_a_home_page() -> None:
    spider = spider_for(builtin("nx-gat"))
    assert spider.source.list.item is None and spider.source.list.headings[:2] == [
        "公安要闻", "警务资讯"
    ]
    page = listing_response(spider, "https://gat.example.gov.cn/index.html",
                            fixture("gov-home", "home.html"))
    requests = [o for o in spider.parse_listing(page) if isinstance(o, scrapy.Request)]
    urls = [r.url for r in requests]
    assert len(urls) == 8 and all("/jwzx/jwdt/" in u for u in urls)  # 警务资讯, no 公安要闻 there
    assert spider.errors == []
    item = article(spider, "https://gat.gansu.gov.cn/gat/c106200/202508/174512345.shtml",
                   fixture("gov-home", "article.html"))
    assert item.published_at == datetime(2026, 8, 12, 11, 54, tzinfo=CST)  # not the PubDate stamp
    assert item.text.startswith("近日，全省公安机关") and "扫一扫" not in item.text


def test_detected_family_reads_a_column_and_its_next_page_without_selectors() -> None:
    spider = spider_for(builtin("gx-gat"))
    url = "https://gat.gxzf.gov.cn/jwzx/gayw/"
    page = listing_response(spider, url, fixture("detected", "listing.html"))
    outputs = [o for o in spider.parse_listing(page) if isinstance(o, scrapy.Request)]
    articles = [o.url for o in outputs if o.meta["kind"] == "article"]
    listings = [o.url for o in outputs if o.meta["kind"] == "listing"]
    assert len(articles) == 12 and all(u.startswith(url + "20") for u in articles)
    assert listings == [url + "index_2.html"]
    item = article(spider, "https://gaj.example.gov.cn/news/20260815/8f3a2b1c.html",
                   fixture("detected", "article.html"))
    assert item.title == "全省公安机关打击电信网络诈骗犯罪专项行动取得显著成效"
    assert item.published_at == datetime(2026, 8, 15, 9, 20, tzinfo=CST)
