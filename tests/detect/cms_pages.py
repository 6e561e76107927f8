"""Listing pages in the shapes Chinese government CMSs render them, with what they list.

Each case is a whole page: header, navigation (with drop-down sub-menus), breadcrumb,
a sidebar with its own "hot articles" list and a column of section links, the list
itself in one of many shapes, a pager, and a footer of other sites' links. The list
shapes and URL forms copy the CMS families of SITES.md and the real pages of
../shared/realpages (TRS WCM, Hanweb/大汉, F1, the Jiangxi and Guangdong clusters,
VSB, JSP/ASP.NET portals, gov.cn), so detection is tested on the variety it meets,
not on one template.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from urllib.parse import urljoin

TOPICS = (
    "公安机关开展夏季治安打击整治行动",
    "警方破获一起特大电信网络诈骗案",
    "全省公安机关推进平安建设工作会议召开",
    "关于进一步规范户籍管理工作的通知",
    "交警部门发布五一假期出行安全提示",
    "出入境管理部门推出便民服务新举措",
    "警方成功打掉一个跨境赌博犯罪团伙",
    "公安厅召开党风廉政建设工作推进会",
    "反诈中心提醒：警惕冒充客服退款诈骗",
    "全市公安机关集中开展禁毒宣传活动",
    "关于公开征求意见的公告",
    "公安机关依法严厉打击食品药品犯罪",
    "治安支队开展校园周边安全隐患排查",
    "网安部门通报十起网络谣言典型案例",
    "省公安厅举行新闻发布会通报工作成效",
    "边检站圆满完成春运出入境保障任务",
    "消防救援部门开展高层建筑火灾演练",
    "警方提示：暑期谨防未成年人溺水",
)
EN_TOPICS = (
    "Police step up fight against telecom and online fraud",
    "Ministry releases figures on gambling crackdown",
    "Border police ensure smooth travel during the holiday",
    "New measures to facilitate foreigners' stays",
    "Campaign targets cross-border online gambling rings",
    "Police dismantle drug trafficking network",
    "Officials brief press on public security work this year",
    "Nationwide operation cracks down on pyramid schemes",
)
SECTIONS = ("警务资讯", "政务公开", "办事服务", "互动交流", "专题专栏", "网上警局")


@dataclass
class Case:
    name: str
    url: str
    html: str
    items: list[tuple[str, str, str | None]]  # (absolute url, title, YYYY-MM-DD or None)
    next_page: str | None = None
    home: bool = False
    lists: dict[str, list[str]] = field(default_factory=dict)  # heading -> urls (home pages)


def fmt(day: date, style: str) -> str:
    return {
        "iso": f"{day:%Y-%m-%d}",
        "slash": f"{day:%Y/%m/%d}",
        "dot": f"{day:%Y.%m.%d}",
        "cn": f"{day.year}年{day.month:02d}月{day.day:02d}日",
        "md": f"{day:%m-%d}",
        "square": f"[{day:%Y-%m-%d}]",
        "paren": f"({day:%Y-%m-%d})",
        "lenticular": f"【{day:%Y-%m-%d}】",
        "time": f"{day:%Y-%m-%d} 10:{day.day:02d}",
    }[style]


# --- article URL forms -----------------------------------------------------------------

def url_trs(rng: random.Random, day: date) -> str:
    return f"./{day:%Y%m}/t{day:%Y%m%d}_{rng.randint(1000000, 9999999)}.html"


def url_hanweb(rng: random.Random, day: date) -> str:
    column, doc = rng.randint(100, 9999), rng.randint(10**6, 10**7)
    return f"/art/{day.year}/{day.month}/{day.day}/art_{column}_{doc}.html"


def url_f1(rng: random.Random, day: date) -> str:
    return f"../../n2255079/n4876594/c{rng.randint(10**6, 10**7)}/content.html"


def url_hex(rng: random.Random, day: date) -> str:
    return f"/scgat/c103388/{day.year}/{day.month}/{day.day}/{rng.getrandbits(128):032x}.shtml"


def url_numeric(rng: random.Random, day: date) -> str:
    return f"/fzgg/c106109/{day:%Y%m}/{rng.randint(10**8, 10**9)}.shtml"


def url_vsb(rng: random.Random, day: date) -> str:
    return f"/info/{rng.randint(1000, 1099)}/{rng.randint(10000, 99999)}.htm"


def url_jsp(rng: random.Random, day: date) -> str:
    return f"/web/detail.jsp?id={rng.randint(10000, 99999)}&columnId=12"


def url_gdga(rng: random.Random, day: date) -> str:
    return f"/jwzx/jwyw/content/post_{rng.randint(10**6, 10**7)}.html"


def url_jiangxi(rng: random.Random, day: date) -> str:
    return f"/jxsgat/col/col14590/content/content_{rng.randint(10**18, 10**19)}.html"


def url_wechat(rng: random.Random, day: date) -> str:
    chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    return "https://mp.weixin.qq.com/s/" + "".join(rng.choice(chars) for _ in range(22))


URLS: dict[str, Callable[[random.Random, date], str]] = {
    "trs": url_trs, "hanweb": url_hanweb, "f1": url_f1, "hex": url_hex, "numeric": url_numeric,
    "vsb": url_vsb, "jsp": url_jsp, "gdga": url_gdga, "jiangxi": url_jiangxi, "wechat": url_wechat,
}


# --- list shapes: (entries) -> html; an entry is (href, title, shown title, date text) ----

Entry = tuple[str, str, str, str | None]


def ul_span(entries: list[Entry]) -> str:
    rows = "".join(
        f'<li><a href="{h}" target="_blank" title="{escape(t)}">{escape(s)}</a>'
        + (f"<span>{d}</span>" if d else "") + "</li>\n"
        + ('<li class="line"></li>\n' if i % 5 == 4 else "")
        for i, (h, t, s, d) in enumerate(entries)
    )
    return f'<div class="list_con"><ul class="list">\n{rows}</ul></div>'


def ul_date_first(entries: list[Entry]) -> str:
    rows = "".join(
        f'<li><span class="date">{d}</span><a href="{h}" title="{escape(t)}">{escape(s)}</a></li>\n'
        for h, t, s, d in entries
    )
    return f'<div class="newslist"><ul>\n{rows}</ul></div>'


def table_rows(entries: list[Entry]) -> str:
    rows = "".join(
        f'<tr><td class="xh">{i + 1}</td><td class="bt"><a href="{h}" title="{escape(t)}">'
        f'{escape(s)}</a></td><td>公安厅〔2024〕{i + 3}号</td><td class="rq">{d or ""}</td></tr>\n'
        for i, (h, t, s, d) in enumerate(entries)
    )
    return ('<div class="xxgk_list"><table class="tablelist" width="100%"><tbody>\n'
            "<tr><th>序号</th><th>标题</th><th>文号</th><th>发布日期</th></tr>\n"
            f"{rows}</tbody></table></div>")


def dl_dd(entries: list[Entry]) -> str:
    rows = "".join(
        f'<dd><a href="{h}" title="{escape(t)}">{escape(s)}</a><span>{d}</span></dd>\n'
        for h, t, s, d in entries
    )
    return f'<div id="list_box"><dl class="news">\n<dt>信息列表</dt>\n{rows}</dl></div>'


def dt_dd_pairs(entries: list[Entry]) -> str:
    rows = "".join(
        f'<dt><a href="{h}" title="{escape(t)}">{escape(s)}</a></dt><dd>{d}</dd>\n'
        for h, t, s, d in entries
    )
    return f'<div class="zwgk"><dl>\n{rows}</dl></div>'


def div_rows(entries: list[Entry]) -> str:
    rows = ""
    for h, t, s, d in entries:
        day, ym = (d.split("|") if d else ("", ""))
        rows += (
            f'<div class="news-item clearfix"><div class="news-date"><p class="day">{day}</p>'
            f'<p class="ym">{ym}</p></div><div class="news-txt"><h3><a href="{h}">{escape(s)}</a>'
            f"</h3><p>{escape(t)}。据悉，此次行动取得明显成效……</p></div></div>\n"
        )
    return f'<div class="news-list">\n{rows}</div>'


def pic_list(entries: list[Entry]) -> str:
    rows = "".join(
        f'<li class="clearfix"><div class="pic"><a href="{h}"><img src="/images/{i}.jpg" '
        f'alt="{escape(t)}"></a></div><div class="info"><h4><a href="{h}">{escape(s)}</a></h4>'
        f"<p>{escape(t)}，记者从有关部门获悉……</p><span class=\"time\">{d}</span></div></li>\n"
        for i, (h, t, s, d) in enumerate(entries)
    )
    return f'<div class="picnews_list"><ul>\n{rows}</ul></div>'


def bare_anchors(entries: list[Entry]) -> str:
    rows = "".join(
        f'<a href="{h}" title="{escape(t)}">{escape(s)}</a>&nbsp;<span class="rq">{d}</span><br/>\n'
        for h, t, s, d in entries
    )
    return f'<div class="lb">\n{rows}</div>'


def table_per_item(entries: list[Entry]) -> str:
    rows = "".join(
        f'<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td width="20">'
        f'<img src="/images/dot.gif"></td><td><a href="{h}" title="{escape(t)}" '
        f'target="_blank">{escape(s)}</a></td><td width="90" align="right">{d}</td></tr></table>\n'
        for h, t, s, d in entries
    )
    return f'<div id="4460">\n{rows}</div>'


def h4_date_inside(entries: list[Entry]) -> str:
    rows = "".join(
        f'<li><h4><a href="{h}" target="_blank">{escape(s)}</a><span class="date">{d}</span>'
        f"</h4></li>\n"
        for h, t, s, d in entries
    )
    return f'<div class="news_box"><div class="list list_1"><ul>\n{rows}</ul></div></div>'


def spp_spans(entries: list[Entry]) -> str:
    rows = "".join(
        f'<li><a href="{h}"><span class="title">{escape(s)}</span><span class="data">{d}</span>'
        f"</a></li>\n"
        for h, t, s, d in entries
    )
    return f'<div class="commonList_con"><ul class="li_line">\n{rows}</ul></div>'


def related_popups(entries: list[Entry]) -> str:
    rows = ""
    for i, (h, t, s, d) in enumerate(entries):
        related = (
            f'<li><a href="../../jd/jd/202401/t2024011{i % 10}_{9000 + i}.html" '
            f'title="有关负责同志就{escape(t[:8])}答记者问">有关负责同志就{escape(t[:8])}答记者问</a></li>'
            if i % 2 == 0 else ""
        )
        rows += (
            f'<li><a href="{h}" title="{escape(t)}">{escape(s)}</a><div class="popbox">'
            f'<h3>相关解读</h3><ul>{related}{related.replace("答记者问", "图解")}</ul></div>'
            f"<span>{d}</span></li>\n"
        )
    return f'<div class="list"><ul class="u-list">\n{rows}<li class="empty"></li></ul></div>'


def english_rows(entries: list[Entry]) -> str:
    rows = "".join(
        f'<div class="mb10 tw3_01_2"><span class="tw3_01_2_p"><a href="{h}"><img src="/i.jpg">'
        f'</a></span><span class="tw3_01_2_t"><h4><a href="{h}">{escape(s)}</a></h4>'
        f"<b>{d}</b></span></div>\n"
        for h, t, s, d in entries
    )
    return f'<div class="main_art">\n{rows}</div>'


def split_uls(entries: list[Entry]) -> str:
    """gov.cn style: one list drawn as several <ul> of five, separated by rules."""
    groups = [entries[i:i + 5] for i in range(0, len(entries), 5)]
    body = '<div class="line"></div>'.join(
        "<ul>" + "".join(f'<li><a href="{h}" target="_blank">{escape(s)}</a><span class="date">'
                         f"{d}</span></li>" for h, t, s, d in group) + "</ul>"
        for group in groups
    )
    return f'<div class="list list_1 list_2">{body}</div>'


CATEGORIES = ("工作动态", "警情通报", "通知公告")


def category_prefix(entries: list[Entry]) -> str:
    rows = "".join(
        f'<li><a class="lm" href="/jwzx/{i % 3}/">[{CATEGORIES[i % 3]}]</a>'
        f'<a href="{h}" title="{escape(t)}"><font color="{"red" if i == 0 else "#333"}">{escape(s)}'
        f"</font></a>{'<img src=/images/new.gif alt=new>' if i < 2 else ''}"
        f'<span class="time">{d}</span></li>\n'
        for i, (h, t, s, d) in enumerate(entries)
    )
    return f'<div class="lbcon"><ol>\n{rows}</ol></div>'


def with_attachments(entries: list[Entry]) -> str:
    rows = "".join(
        f'<li><a href="{h}" title="{escape(t)}">{escape(s)}</a> <a class="fj" '
        f'href="/uploads/{i}.pdf">[PDF下载]</a><em>{d}</em></li>\n'
        for i, (h, t, s, d) in enumerate(entries)
    )
    return f'<div class="wjlist"><ul>\n{rows}</ul></div>'


SHAPES: dict[str, Callable[[list[Entry]], str]] = {
    "split_uls": split_uls, "category_prefix": category_prefix,
    "with_attachments": with_attachments,
    "ul_span": ul_span, "ul_date_first": ul_date_first, "table_rows": table_rows,
    "dl_dd": dl_dd, "dt_dd_pairs": dt_dd_pairs, "div_rows": div_rows, "pic_list": pic_list,
    "bare_anchors": bare_anchors, "table_per_item": table_per_item,
    "h4_date_inside": h4_date_inside, "spp_spans": spp_spans, "related_popups": related_popups,
    "english_rows": english_rows,
}


# --- page chrome -----------------------------------------------------------------------

def chrome_head(site: str, title: str) -> str:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{title}_{site}</title><meta name=\"SiteName\" content=\"{site}\">"
        f'<meta name="ColumnName" content="{title}"></head><body>\n'
        f'<div class="top"><div class="w1200"><a href="/">无障碍</a> <a href="/en/">English</a>'
        f' <a href="/login.html">登录</a></div></div>\n'
        f'<div class="header"><h1 class="logo"><a href="/">{site}</a></h1>'
        '<form action="/search.jsp"><input name="q"><button>搜索</button></form></div>\n'
        '<div class="nav"><ul class="navlist">'
        '<li><a href="/">首页</a></li>'
        + "".join(
            f'<li><a href="/{i}/index.html">{s}</a><ul class="sub"><li><a href="/{i}/a/">'
            f'{s}动态</a></li><li><a href="/{i}/b/">{s}公告</a></li></ul></li>'
            for i, s in enumerate(SECTIONS)
        )
        + "</ul></div>\n"
    )


def breadcrumb(title: str) -> str:
    return ('<div class="position">当前位置：<a href="/">首页</a> &gt; '
            f'<a href="/jwzx/">警务资讯</a>'
            f' &gt; <a href="./">{title}</a></div>\n')


def sidebar(rng: random.Random, form: Callable[[random.Random, date], str], today: date,
            dated: bool = False) -> str:
    hot = "".join(
        f'<li><a href="{form(rng, today - timedelta(days=40 + i))}">'
        f"{rng.choice(TOPICS)}（热点）</a>"
        + (f"<span>{today - timedelta(days=40 + i):%m-%d}</span>" if dated else "") + "</li>"
        for i in range(6 if dated else 5)
    )
    columns = "".join(f'<li><a href="/jwzx/{c}/">{s}</a></li>'
                      for c, s in zip("abcdef", ("警务动态", "警情通报", "通知公告", "新闻发布",
                                                 "反诈宣传", "交通安全"), strict=True))
    return (f'<div class="side fr"><div class="side-box"><h3>栏目导航</h3><ul class="lm">{columns}'
            f'</ul></div><div class="side-box hot"><h3>热点文章</h3><ul>{hot}</ul></div></div>\n')


def footer() -> str:
    sites = "".join(f'<li><a href="http://gat.{p}.gov.cn/" target="_blank">{n}公安厅</a></li>'
                    for p, n in (("hebei", "河北省"), ("shanxi", "山西省"), ("ln", "辽宁省"),
                                 ("jl", "吉林省"), ("hlj", "黑龙江省"), ("jiangsu", "江苏省")))
    return (f'<div class="footer"><div class="links"><h4>友情链接</h4><ul>{sites}</ul></div>'
            '<p><a href="/wzdt.html">网站地图</a> | <a href="/lxwm.html">联系我们</a></p>'
            "<p>主办单位：某省公安厅 ICP备05000001号</p></div></body></html>")


def pager(style: str, page_url: str, count: int) -> tuple[str, str | None]:
    """(pager html, absolute URL of the next page) for page 1 of `count`."""
    if style == "trs":
        return ('<div class="page"><script>createPageHTML(' + str(count) +
                ', 0, "index", "html");</script></div>', urljoin(page_url, "index_1.html"))
    if style == "trs_vars":
        return ('<div class="page"><script>var countPage = ' + str(count) +
                '//共多少页\nvar currentPage = 0;\ncreatePageHTML(countPage, currentPage, "index", '
                '"shtml");</script></div>', urljoin(page_url, "index_1.shtml"))
    if style == "next_link":
        return ('<div class="pages"><a href="index.html">首页</a> <span>上一页</span> '
                '<a href="index_2.html">下一页</a> <a href="index_9.html">尾页</a></div>',
                urljoin(page_url, "index_2.html"))
    if style == "numbered":
        links = "".join(f'<a href="list_{n}.html">{n}</a> ' for n in range(2, 6))
        return (f'<div class="pagination"><a class="cur">1</a> {links}</div>',
                urljoin(page_url, "list_2.html"))
    if style == "query":
        return ('<div class="fy">共<span id="totalPage">12</span>页 <script>var totalPage = 12;'
                '</script><a href="?page=2">下一页</a></div>', urljoin(page_url, "?page=2"))
    return "", None


# --- cases -------------------------------------------------------------------------------

SPECS = [
    # name, shape, url form, date style, pager, page url, count
    ("trs_ul_span", "ul_span", "trs", "iso", "trs",
     "https://gat.example.gov.cn/jwzx/jwdt/index.html", 20),
    ("trs_vars_shtml", "ul_span", "trs", "slash", "trs_vars",
     "https://www.spp.gov.cn/spp/qwfb/index.shtml", 15),
    ("hanweb_date_first", "ul_date_first", "hanweb", "lenticular", "next_link",
     "https://gat.jiangsu.gov.cn/col/col6372/index.html", 15),
    ("table_info_open", "table_rows", "numeric", "iso", "query",
     "https://fzgg.gansu.gov.cn/fzgg/tzgg/list.shtml", 18),
    ("f1_dl_dd", "dl_dd", "f1", "paren", "none",
     "https://www.mps.gov.cn/n2253534/n2253535/index.html", 12),
    ("dt_dd_pairs", "dt_dd_pairs", "vsb", "dot", "numbered",
     "https://www.example.edu.cn/xwzx/list.htm", 10),
    ("div_rows_split_date", "div_rows", "gdga", "split", "next_link",
     "https://gdga.gd.gov.cn/jwzx/jwyw/index.html", 10),
    ("picture_list", "pic_list", "hex", "cn", "numbered",
     "https://gat.sc.gov.cn/scgat/c103388/list.shtml", 8),
    ("bare_anchors", "bare_anchors", "jsp", "square", "query",
     "https://www.example.gov.cn/web/list.jsp?columnId=12&page=1", 15),
    ("table_per_item", "table_per_item", "hanweb", "iso", "none",
     "https://www.jiangsu.gov.cn/col/col76841/index.html", 12),
    ("govcn_h4", "h4_date_inside", "jiangxi", "iso", "next_link",
     "https://gat.jiangxi.gov.cn/jxsgat/col/col14590/index.html", 20),
    ("spp_spans_in_link", "spp_spans", "trs", "iso", "trs",
     "https://www.spp.gov.cn/spp/xwfbh/index.shtml", 15),
    ("ndrc_related_popups", "related_popups", "trs", "slash", "trs",
     "https://www.ndrc.gov.cn/xxgk/zcfb/tz/index.html", 20),
    ("wechat_reposts", "ul_span", "wechat", "paren", "next_link",
     "https://gat.example.gov.cn/xmt/wx/index.html", 12),
    ("undated_cut_titles", "ul_span", "trs", "none", "trs",
     "https://gat.example.gov.cn/tzgg/index.html", 15),
    ("english_column", "english_rows", "english", "time", "next_link",
     "https://english.example.gov.cn/news/index.html", 10),
    ("last_page", "ul_span", "trs", "iso", "trs_last",
     "https://gat.example.gov.cn/jwzx/jwdt/index_4.html", 9),
    ("govcn_split_uls", "split_uls", "jiangxi", "iso", "next_link",
     "https://www.gov.cn/lianbo/bumen/index.htm", 20),
    ("category_prefix_ol", "category_prefix", "trs", "time", "trs",
     "https://gaj.cq.gov.cn/sy_245/bmdt/index.html", 15),
    ("attachments", "with_attachments", "trs", "iso", "none",
     "https://gat.example.gov.cn/zwgk/wj/index.html", 10),
    ("one_page_dated_sidebar", "ul_span", "gdga", "iso", "none",
     "https://gdga.gd.gov.cn/jmhd/xwfb/index.html", 10),
]
DATED_SIDEBAR = {"one_page_dated_sidebar", "attachments", "f1_dl_dd"}


def _entry(rng: random.Random, form: str, style: str, today: date, index: int,
           page_url: str, english: bool) -> tuple[Entry, tuple[str, str, str | None]]:
    day = today - timedelta(days=index * 2 + rng.randint(0, 1))
    if form == "english":
        href = f"/a/{day:%Y%m}/{day:%d}/WS{rng.getrandbits(96):024x}.html"
    else:
        href = URLS[form](rng, day)
    pool = EN_TOPICS if english else TOPICS
    title = f"{pool[index % len(pool)]}{'' if english else '（' + str(index + 1) + '）'}"
    if english:
        title = f"{title} ({index + 1})"
    shown = title if len(title) < 22 or english else title[:18] + "…"
    if style == "none":
        text, iso = None, None
    elif style == "split":
        text, iso = f"{day:%d}|{day:%Y-%m}", day.isoformat()
    else:
        text, iso = fmt(day, style), day.isoformat()
    return (href, title, shown, text), (urljoin(page_url, href), title, iso)


def column_case(spec: tuple[str, str, str, str, str, str, int], seed: int = 0) -> Case:
    name, shape, form, style, pager_style, page_url, count = spec
    rng = random.Random(f"{name}:{seed}")
    today = date(2026, 9, 3)
    english = form == "english"
    pairs = [_entry(rng, form, style, today, i, page_url, english) for i in range(count)]
    entries = [p[0] for p in pairs]
    expected = [p[1] for p in pairs]
    if pager_style == "trs_last":
        pager_html, following = ('<div class="page"><script>createPageHTML(5, 4, "index", "html");'
                                 "</script></div>"), None
    else:
        pager_html, following = pager(pager_style, page_url, 9)
    side_form = URLS["trs"] if form in ("english", "wechat") else URLS[form]
    title = "Latest News" if english else "警务动态"
    html = (
        chrome_head("某省公安厅" if not english else "Ministry (Example)", title)
        + breadcrumb(title)
        + '<div class="main w1200 clearfix"><div class="content fl">'
        + f'<div class="lm-title"><h2>{title}</h2></div>\n'
        + SHAPES[shape](entries) + "\n" + pager_html
        + "</div>\n" + sidebar(rng, side_form, today, name in DATED_SIDEBAR) + "</div>\n"
        + footer()
    )
    return Case(name, page_url, html, expected, following)


SERVICES = ("身份证", "户口迁移", "出入境证件", "机动车", "驾驶证")


def home_case(seed: int = 0) -> Case:
    """A provincial PSB home page: headline carousel, tabbed boxes with headings and
    更多 links, MM-DD dates, a list of www.gov.cn news, service and friend links."""
    rng = random.Random(f"home:{seed}")
    today = date(2026, 9, 3)
    url = "https://gat.example.gov.cn/index.html"
    boxes = [("警务资讯", "jwzx/jwdt", "trs", 8), ("通知公告", "tzgg", "trs", 6),
             ("新闻发布", "xwfb", "trs", 6), ("警情通报", "jqtb", "trs", 5)]
    lists: dict[str, list[str]] = {}
    items: list[tuple[str, str, str | None]] = []
    body = ""
    carousel = "".join(
        f'<li><a href="/jwzx/jwdt/{today:%Y%m}/t{today:%Y%m%d}_{900 + i}.html">'
        f'<img src="/p{i}.jpg">'
        f"<p>{TOPICS[i]}</p></a></li>" for i in range(4)
    )
    body += f'<div class="banner"><div class="lunbo"><ul>{carousel}</ul></div></div>\n'
    for index, (heading, column, _form, count) in enumerate(boxes):
        entries = []
        for i in range(count):
            day = today - timedelta(days=i * 3 + index)
            href = f"/{column}/{day:%Y%m}/t{day:%Y%m%d}_{rng.randint(10**6, 10**7)}.html"
            title = f"{TOPICS[(i + index * 3) % len(TOPICS)]}（{heading}{i + 1}）"
            entries.append(f'<li><a href="{href}" title="{title}">{title}</a>'
                           f"<span>{day:%m-%d}</span></li>")
            items.append((urljoin(url, href), title, day.isoformat()))
            lists.setdefault(heading, []).append(urljoin(url, href))
        if index % 2 == 0:
            body += (f'<div class="box{index} fl"><div class="box-title"><h3><a href="/{column}/">'
                     f'{heading}</a></h3><a class="more" href="/{column}/">更多&gt;&gt;</a></div>'
                     f'<ul class="box-list">{"".join(entries)}</ul></div>\n')
        else:
            body += (f'<div class="tab{index} fr"><div class="hd"><span class="on">{heading}</span>'
                     f'</div><div class="bd"><ul>{"".join(entries)}</ul></div></div>\n')
    central = "".join(
        f'<li><a href="https://www.gov.cn/yaowen/liebiao/{today:%Y%m}/content_{708000 + i}.htm">'
        f"{TOPICS[-i - 1]}（中央）</a><span>{today:%m-%d}</span></li>" for i in range(6)
    )
    body += f'<div class="zyyw"><div class="title">中央要闻</div><ul>{central}</ul></div>\n'
    services = "".join(f'<li><a href="https://zwfw.example.gov.cn/item/{i}">{s}办理</a></li>'
                       for i, s in enumerate(SERVICES))
    body += f'<div class="fw"><h3>办事服务</h3><ul>{services}</ul></div>\n'
    html = chrome_head("某省公安厅", "首页") + '<div class="main">' + body + "</div>\n" + footer()
    return Case("home_page", url, html, items, None, True, lists)


def all_cases(seed: int = 0) -> list[Case]:
    return [column_case(spec, seed) for spec in SPECS] + [home_case(seed)]
