"""Site 1: an old-style TRS WCM provincial column served in GBK (GB18030 bytes).

The pages declare ``charset=gb2312`` in a ``<meta http-equiv>`` only (the header
says plain ``text/html``), and some text lies outside GB2312 (镕), so a reader
must both find the meta charset and decode it as the GBK/GB18030 superset.

- listing ``/gbk/jwzx/index.html``; page N >= 2 is ``index_{N-1}.html``; pager by
  ``createPageHTML(countPage, currentPage, "index", "html")`` (no static links)
- items ``ul.list li`` -> ``a`` + ``span`` (``YYYY-MM-DD``)
- articles ``/gbk/jwzx/YYYYMM/tYYYYMMDD_{id}.html``: ``h1.title``, ``div.info``
  (``发布时间：YYYY-MM-DD HH:MM``), body ``div.TRS_Editor`` (which, as on real TRS
  pages, opens with a ``<style>`` element and indents paragraphs with U+3000)
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Any

from replica import templates_zh
from replica.content import (
    CST,
    REPOSTED,
    REPOSTED_AT,
    Bulletin,
    seeds,
)
from replica.sites.base import Entry, Page, Site

COLUMN = "/gbk/jwzx/"
CONTENT_TYPE = "text/html"  # no charset: only the page's meta names it

_PAGER_JS = """<script type="text/javascript">
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  if(nCurrIndex == 0){ document.write("<span>首页</span>&nbsp;<span>上一页</span>&nbsp;"); }
  else if(nCurrIndex == 1){
    document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">首页</a>&nbsp;");
    document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">上一页</a>&nbsp;");
  } else {
    document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">首页</a>&nbsp;");
    document.write("<a href=\\"" + _sPageName + "_" + (nCurrIndex - 1) + "." + _sPageExt
      + "\\">上一页</a>&nbsp;");
  }
  if(nCurrIndex + 1 >= _nPageCount){ document.write("<span>下一页</span>&nbsp;<span>尾页</span>"); }
  else {
    document.write("<a href=\\"" + _sPageName + "_" + (nCurrIndex + 1) + "." + _sPageExt
      + "\\">下一页</a>&nbsp;");
    document.write("<a href=\\"" + _sPageName + "_" + (_nPageCount - 1) + "." + _sPageExt
      + "\\">尾页</a>");
  }
}
</script>"""

_HEAD = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{title}</title>
<meta name="SiteName" content="某省公安厅" />
<meta name="SiteDomain" content="gat.replica.gov.cn" />
<meta name="SiteIDCode" content="0000000001" />
<meta name="ColumnName" content="警务资讯" />
<meta name="ColumnType" content="警务资讯" />
{meta}<link rel="stylesheet" type="text/css" href="/gbk/images/style.css" />
</head>
<body>
<div class="top">
  <div class="logo"><a href="/gbk/index.html">某省公安厅</a></div>
  <div class="search"><form action="/gbk/search.html"><input type="text" name="q" />\
<input type="submit" value="搜索" /></form></div>
</div>
<div class="nav">
  <ul>
    <li><a href="/gbk/index.html">首页</a></li>
    <li><a href="/gbk/jwzx/index.html">警务资讯</a></li>
    <li><a href="/gbk/zwgk/index.html">政务公开</a></li>
    <li><a href="/gbk/bsfw/index.html">办事服务</a></li>
    <li><a href="/gbk/hdjl/index.html">互动交流</a></li>
  </ul>
</div>
"""

_FOOT = """<div class="footer">
  <p><a href="/gbk/wzdt.html">网站地图</a> | <a href="/gbk/lxwm.html">联系我们</a> | \
<a href="/gbk/sm.html">网站声明</a></p>
  <p>版权所有：某省公安厅　主办：某省公安厅办公室　地址：某省某市人民路1号</p>
  <p>京ICP备05070218号-1　京公网安备 11010202000001号　网站标识码：0000000001</p>
</div>
</body>
</html>
"""

_TRS_STYLE = (
    '<style type="text/css">.TRS_Editor P{margin-top:0px;margin-bottom:12px;line-height:2;'
    "font-family:宋体;font-size:12pt;}.TRS_Editor DIV{margin-top:0px;margin-bottom:12px;"
    "line-height:2;font-family:宋体;font-size:12pt;}</style>"
)


class TrsGbkSite(Site):
    site_id = "gbk"
    source_id = "replica-gbk"
    prefix = "/gbk"
    language = "zh"
    per_page = 20

    @classmethod
    def source(cls, base_url: str) -> dict[str, Any]:
        return {
            "id": cls.source_id,
            "name": "某省公安厅 警务资讯",
            "agency": "Replica Provincial Public Security Department",
            "level": "provincial",
            "region": "Replica",
            "language": "zh",
            "schedule": "*/30 * * * *",
            "start_urls": [f"{base_url}{COLUMN}index.html"],
            "list": {
                "item": "ul.list li",
                "link": "a::attr(href)",
                "title": "a::text",
                "date": "span::text",
                "pages": "index_{n}.html",
                "pages_from": 1,
                "min_pages": 2,
                "max_pages": 5,
            },
            "article": {
                "title": "h1.title::text",
                "date": "div.info::text",
                "body": "div.TRS_Editor",
            },
            "render": "never",
            "encoding": "auto",
        }

    def initial_plan(self) -> tuple[datetime, int, list[tuple[datetime, Bulletin]]]:
        seed = seeds()["001"]
        fixed = [(seed.published, seed.bulletin), (REPOSTED_AT, REPOSTED)]
        return datetime(2024, 3, 28, tzinfo=CST), 42, fixed

    def generate(self, rng: random.Random, when: datetime) -> Bulletin:
        return templates_zh.generate(rng, when)

    def article_path(self, key: int, when: datetime) -> str:
        return f"{COLUMN}{when:%Y%m}/t{when:%Y%m%d}_{4100000 + key * 7}.html"

    def listing_path(self, number: int) -> str:
        return f"{COLUMN}index.html" if number == 1 else f"{COLUMN}index_{number - 1}.html"

    def extra_pages(self, listing: dict[str, Page]) -> dict[str, Page]:
        home = self._home()
        return {COLUMN: listing[self.listing_path(1)], "/gbk/": home, "/gbk/index.html": home}

    def _page(self, html: str, last_modified: datetime | None = None) -> Page:
        return Page(html.encode("gb18030"), CONTENT_TYPE, last_modified)

    def _home(self) -> Page:
        items = "".join(
            f'<li><a href="{entry.path}">{escape(entry.title)}</a></li>\n'
            for entry in self.entries[:5]
        )
        html = (
            _HEAD.format(title="某省公安厅", meta="")
            + f'<div class="main"><h2><a href="{COLUMN}index.html">警务资讯</a></h2>\n'
            f"<ul>\n{items}</ul></div>\n" + _FOOT
        )
        return self._page(html)

    def render_listing(self, number: int, total: int, entries: Sequence[Entry]) -> Page:
        items = "".join(
            f'    <li><a href="./{entry.path.removeprefix(COLUMN)}" target="_blank" '
            f'title="{escape(entry.title)}">{escape(entry.title)}</a>'
            f"<span>{entry.published:%Y-%m-%d}</span></li>\n"
            for entry in entries
        )
        html = (
            _HEAD.format(title="警务资讯 - 某省公安厅", meta=_PAGER_JS + "\n")
            + '<div class="main">\n  <div class="position">当前位置：'
            '<a href="/gbk/index.html">首页</a> &gt; <a href="./index.html">警务资讯</a></div>\n'
            f'  <ul class="list">\n{items}  </ul>\n'
            '  <div class="page"><script type="text/javascript">\n'
            f"    var currentPage = {number - 1};//所在页从0开始\n"
            f"    var countPage = {total}//共多少页\n"
            '    createPageHTML(countPage, currentPage, "index", "html");\n'
            "  </script></div>\n</div>\n" + _FOOT
        )
        return self._page(html, self.last_modified)

    def render_article(self, entry: Entry, bulletin: Bulletin) -> Page:
        title = escape(bulletin.title)
        meta = (
            f'<meta name="ArticleTitle" content="{title}" />\n'
            f'<meta name="PubDate" content="{entry.published:%Y-%m-%d %H:%M}" />\n'
            '<meta name="ContentSource" content="某省公安厅" />\n'
        )
        paragraphs = "\n".join(f"<p>　　{escape(p)}</p>" for p in bulletin.paragraphs)
        related = "".join(
            f'<li><a href="{other.path}">{escape(other.title)}</a></li>'
            for other in self.related(entry)
        )
        html = (
            _HEAD.format(title=f"{title} - 某省公安厅", meta=meta)
            + '<div class="main">\n  <div class="position">当前位置：'
            '<a href="/gbk/index.html">首页</a> &gt; '
            f'<a href="{COLUMN}index.html">警务资讯</a></div>\n'
            '  <div class="article">\n'
            f'    <h1 class="title">{title}</h1>\n'
            f'    <div class="info">发布时间：{entry.published:%Y-%m-%d %H:%M}　　来源：某省公安厅'
            "　　【字体：<a>大</a> <a>中</a> <a>小</a>】</div>\n"
            f'    <div class="TRS_Editor">{_TRS_STYLE}\n<div class="Custom_UnionStyle">\n'
            f"{paragraphs}\n</div></div>\n"
            '    <div class="share">【<a href="javascript:window.print()">打印本页</a>】'
            '【<a href="javascript:window.close()">关闭窗口</a>】</div>\n'
            f'    <div class="xgwz"><h3>相关文章</h3><ul>{related}</ul></div>\n'
            "  </div>\n</div>\n" + _FOOT
        )
        return self._page(html)
