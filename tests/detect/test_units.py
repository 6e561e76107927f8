"""The parts of detection one by one: link shapes, list dates, page decoding, pagers,
body cleaning (also of trafilatura's text, measured on the real Gansu page)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crawlers.detect.body import clean_body
from crawlers.detect.dates import chunk_date, is_date_text, reference_date
from crawlers.detect.decode import decode_html
from crawlers.detect.links import LinkKind, link_kind, same_site
from crawlers.detect.page import parse_page
from crawlers.detect.paging import next_page
from crawlers.text import main_text_auto

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "realpages"


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.ndrc.gov.cn/xxgk/zcfb/tz/202608/t20260828_1407232.html", LinkKind.ARTICLE),
        ("https://www.mps.gov.cn/n2253534/n2253535/c10578351/content.html", LinkKind.ARTICLE),
        ("https://x.gov.cn/art/2024/1/15/art_12_34.html", LinkKind.ARTICLE),
        ("https://www.gov.cn/yaowen/liebiao/202609/content_7080040.htm", LinkKind.ARTICLE),
        ("https://fzgg.gansu.gov.cn/fzgg/c106109/202502/174084157.shtml", LinkKind.ARTICLE),
        ("https://x.gov.cn/info/1012/12345.htm", LinkKind.ARTICLE),
        ("https://x.gov.cn/web/detail.jsp?id=12345", LinkKind.ARTICLE),
        ("https://mp.weixin.qq.com/s/AbCdEf123", LinkKind.ARTICLE),
        ("https://www.mps.gov.cn/n2253534/n2253535/index.html", LinkKind.SECTION),
        ("https://x.gov.cn/col/col123/index.html", LinkKind.SECTION),
        ("https://x.gov.cn/jwzx/index_2.html", LinkKind.SECTION),
        ("http://gat.gansu.gov.cn/", LinkKind.SECTION),
        ("https://x.gov.cn/uploads/a.pdf", LinkKind.FILE),
    ],
)
def test_link_kinds(url: str, kind: LinkKind) -> None:
    assert link_kind(url) is kind


def test_sites() -> None:
    assert same_site("https://app.mps.gov.cn/x", "https://www.mps.gov.cn/index.html")
    assert not same_site("https://www.gov.cn/x", "https://www.mps.gov.cn/index.html")
    assert not same_site("https://www.news.cn/x", "https://www.mps.gov.cn/index.html")


def test_list_dates_in_their_many_forms() -> None:
    ref = date(2026, 9, 3)
    want = date(2026, 8, 10)
    for shown in (["2026-08-10"], ["2026/08/10"], ["2026.08.10"], ["2026年8月10日"],
                  ["[2026-08-10]"], ["(2026-08-10)"], ["【2026-08-10】"], ["08-10"],
                  ["10", "2026-08"], ["2026-08-10 16:05:00"], ["Aug 10, 2026"]):
        assert chunk_date(shown, ref) == want, shown
    # a month-day later than the page's own date is last year's
    assert chunk_date(["12-28"], ref) == date(2025, 12, 28)
    assert chunk_date(["浏览次数：123"], ref) is None


def test_the_year_of_a_page_comes_from_its_links() -> None:
    urls = ["/yaowen/liebiao/202609/content_7080040.htm", "/politics/20260903/abc/c.html",
            "n2253534/n2253535/c10578351/content.html"]
    assert reference_date(urls, today=date(2027, 1, 1)) == date(2026, 9, 3)
    assert is_date_text("2026-08-10") and is_date_text("(08-10)") and not is_date_text("第3期")


def test_a_gbk_page_declared_utf8_and_a_utf8_page_declared_gb2312() -> None:
    gbk = '<meta charset="utf-8"><p>朱镕基 公安厅</p>'.encode("gb18030")
    assert decode_html(gbk, "text/html; charset=utf-8") == (
        '<meta charset="utf-8"><p>朱镕基 公安厅</p>', "gb18030"
    )
    utf8 = '<meta charset="gb2312"><p>公安厅</p>'.encode()
    assert decode_html(utf8)[1] == "utf-8"


@pytest.mark.parametrize(
    ("html", "url", "want"),
    [
        ('<script>createPageHTML(20, 0, "index", "html");</script>',
         "https://a.gov.cn/x/index.html", "https://a.gov.cn/x/index_1.html"),
        ('<script>createPageHTML(20, 3, "index", "shtml");</script>',
         "https://a.gov.cn/x/index_3.shtml", "https://a.gov.cn/x/index_4.shtml"),
        ('<script>createPageHTML(5, 4, "index", "html");</script>',
         "https://a.gov.cn/x/index_4.html", None),
        ('<script>var countPage = 7; var currentPage = 0;'
         'createPageHTML(countPage, currentPage, "index", "htm");</script>',
         "https://a.gov.cn/x/", "https://a.gov.cn/x/index_1.htm"),
        ('<div class="page"><a href="list_3.html">下一页</a></div>',
         "https://a.gov.cn/x/list_2.html", "https://a.gov.cn/x/list_3.html"),
        ('<div class="page"><a href="?page=2">Next &gt;</a></div>',
         "https://a.gov.cn/x/list.jsp", "https://a.gov.cn/x/list.jsp?page=2"),
        ('<div class="page"><span>1</span><a href="list_2.htm">2</a><a href="list_3.htm">3</a>'
         "</div>", "https://a.gov.cn/x/list.htm", "https://a.gov.cn/x/list_2.htm"),
        ('<script>var totalPage = 9;</script>', "https://a.gov.cn/list.aspx?id=3&page=2",
         "https://a.gov.cn/list.aspx?id=3&page=3"),
        ('<div id="comp_5097045"><ul><li>x</li></ul></div><script>maxPageNum = 275;</script>',
         "https://www.mps.gov.cn/n2253534/n2253535/index.html",
         "https://www.mps.gov.cn/n2253534/n2253535/index_5097045_274.html"),
    ],
)
def test_next_page(html: str, url: str, want: str | None) -> None:
    page = parse_page(f"<html><body>{html}</body></html>", url)
    container = page.root.find(".//ul")
    assert next_page(page.root, page.html, page.url, page.resolve, container) == want


def test_trafilatura_text_of_the_gansu_page_is_cleaned_of_title_date_and_font_size() -> None:
    html = (PAGES / "fzgg.gansu.gov.cn" / "tzgg_article_1.html").read_text("utf-8")
    raw = main_text_auto(html, "https://fzgg.gansu.gov.cn/fzgg/c106200/202503/174084153.shtml")
    assert raw.startswith("甘肃省发展和改革委员会等部门关于印发")  # what trafilatura gives
    title = ("甘肃省发展和改革委员会等部门关于印发"
             "《甘肃省关于加力支持工业企业设备更新的若干措施》的通知")
    cleaned = clean_body(raw, title)
    assert cleaned.startswith("各市、自治州人民政府、兰州新区管委会")
    assert "字号" not in cleaned and "日期：" not in cleaned
