"""Site 3: a provincial column in the MPS "F1" style (``n…/c…/content.html``), UTF-8.

- listing ``/f1/n2253534/n2253535/index.html``: items ``#comp_5097045 ul li`` ->
  ``a`` + ``span`` (``YYYY-MM-DD``), hrefs relative (``../../n2255079/…``);
  sets the cookie ``maxPageNum5097045``
- page N is also the bare fragment ``index_5097045_{N}.html`` (no page chrome:
  just ``<ul><li>…``), the way F1 sites page; page 2 is ``index_5097045_2.html``
- articles ``/f1/n2255079/n4876594/n5104076/n5104080/c{id}/content.html``:
  ``meta[name=ArticleTitle|PubDate|ContentSource]``, title ``div.bTitle p``,
  meta line ``div.arcTool`` (``2023年11月20日``), body ``#ztdx``
- reposts :data:`~replica.content.REPOSTED` of the GBK site, same text
"""

from __future__ import annotations

import posixpath
import random
from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Any

from replica import templates_zh
from replica.content import CST, REPOSTED, REPOSTED_AGAIN_AT, Bulletin
from replica.sites.base import Entry, Page, Site

COMP = "5097045"
COLUMN = "/f1/n2253534/n2253535/"
ARTICLES = "/f1/n2255079/n4876594/n5104076/n5104080/"

_HEAD = """<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{title}</title>
<meta name="SiteName" content="邻省公安厅">
<meta name="SiteDomain" content="gat.replica-north.gov.cn">
<meta name="SiteIDCode" content="0000000002">
<meta name="ColumnName" content="警务动态">
<meta name="ColumnType" content="警务动态">
{meta}</head>
<body>
<div class="header w1200">
  <div class="logo"><a href="/f1/">邻省公安厅</a></div>
  <div class="navBox">
    <ul class="nav">
      <li><a href="/f1/">首页</a></li>
      <li><a href="/f1/n2253534/n2253535/index.html">警务动态</a></li>
      <li><a href="/f1/n2254314/index.html">政务公开</a></li>
      <li><a href="/f1/n2254098/index.html">公安服务</a></li>
    </ul>
  </div>
</div>
"""

_FOOT = """<div class="footer">
  <div class="w1200">
    <p><a href="/f1/wzdt.html">网站地图</a>　<a href="/f1/lxwm.html">联系我们</a>　\
<a href="/f1/wzsm.html">网站声明</a></p>
    <p>版权所有：邻省公安厅　地址：邻省某市建设路8号</p>
    <p>京ICP备05070219号　京公网安备 11010202000002号</p>
  </div>
</div>
</body>
</html>
"""


class F1Site(Site):
    site_id = "f1"
    source_id = "replica-f1"
    prefix = "/f1"
    language = "zh"
    per_page = 15

    @classmethod
    def source(cls, base_url: str) -> dict[str, Any]:
        return {
            "id": cls.source_id,
            "name": "邻省公安厅 警务动态",
            "agency": "Replica Neighbouring Provincial Public Security Department",
            "level": "provincial",
            "region": "Replica North",
            "language": "zh",
            "schedule": "*/30 * * * *",
            "start_urls": [f"{base_url}{COLUMN}index.html"],
            "list": {
                # page 1 wraps the list in #comp_…; later pages are bare <ul> fragments
                "item": f"#comp_{COMP} ul li, body > ul > li",
                "link": "a::attr(href)",
                "title": "a::text",
                "date": "span::text",
                "pages": f"index_{COMP}_{{n}}.html",
                "pages_from": 2,
                "min_pages": 2,
                "max_pages": 5,
            },
            "article": {
                "title": "meta[name=ArticleTitle]::attr(content)",
                "date": "meta[name=PubDate]::attr(content)",
                "body": "#ztdx",
            },
            "render": "never",
            "encoding": "auto",
        }

    def initial_plan(self) -> tuple[datetime, int, list[tuple[datetime, Bulletin]]]:
        return datetime(2024, 3, 29, tzinfo=CST), 32, [(REPOSTED_AGAIN_AT, REPOSTED)]

    def generate(self, rng: random.Random, when: datetime) -> Bulletin:
        return templates_zh.generate(rng, when)

    def article_path(self, key: int, when: datetime) -> str:
        return f"{ARTICLES}c{7400000 + key * 17}/content.html"

    def listing_path(self, number: int) -> str:
        return f"{COLUMN}index.html" if number == 1 else f"{COLUMN}index_{COMP}_{number}.html"

    def pages(self) -> dict[str, Page]:
        pages = super().pages()
        # page 1 exists as a fragment too, like the later pages
        first = self.entries[: self.per_page]
        pages[f"{COLUMN}index_{COMP}_1.html"] = self._fragment(first)
        return pages

    def extra_pages(self, listing: dict[str, Page]) -> dict[str, Page]:
        home = Page(
            (
                _HEAD.format(title="邻省公安厅", meta="")
                + f'<div class="main w1200"><a href="{COLUMN}index.html">警务动态</a></div>\n'
                + _FOOT
            ).encode()
        )
        return {COLUMN: listing[self.listing_path(1)], "/f1/": home, "/f1/index.html": home}

    def _items(self, entries: Sequence[Entry]) -> str:
        return "".join(
            f'<li><a href="{posixpath.relpath(entry.path, COLUMN)}" target="_blank" '
            f'title="{escape(entry.title)}">{escape(entry.title)}</a>'
            f"<span>{entry.published:%Y-%m-%d}</span></li>\n"
            for entry in entries
        )

    def _cookie(self) -> tuple[tuple[str, str], ...]:
        return (("Set-Cookie", f"maxPageNum{COMP}={self.page_count}; Path=/"),)

    def _fragment(self, entries: Sequence[Entry]) -> Page:
        body = f"<ul>\n{self._items(entries)}</ul>\n"
        return Page(body.encode(), last_modified=self.last_modified, headers=self._cookie())

    def render_listing(self, number: int, total: int, entries: Sequence[Entry]) -> Page:
        if number > 1:
            return self._fragment(entries)
        html = (
            _HEAD.format(title="警务动态-邻省公安厅", meta="")
            + '<div class="main w1200">\n  <div class="lmTitle">警务动态</div>\n'
            f'  <div id="comp_{COMP}">\n<ul>\n{self._items(entries)}</ul>\n  </div>\n'
            f'  <div class="pageBox"><script>var maxPageNum = {total};</script>'
            f"共{total}页</div>\n</div>\n" + _FOOT
        )
        return Page(html.encode(), last_modified=self.last_modified, headers=self._cookie())

    def render_article(self, entry: Entry, bulletin: Bulletin) -> Page:
        title = escape(bulletin.title)
        origin = "某省公安厅" if bulletin is REPOSTED else "邻省公安厅"  # a repost names its source
        meta = (
            f'<meta name="ArticleTitle" content="{title}">\n'
            f'<meta name="PubDate" content="{entry.published:%Y-%m-%d %H:%M}">\n'
            f'<meta name="ContentSource" content="{origin}">\n'
            f'<meta name="Keywords" content="{title}">\n'
        )
        paragraphs = "\n".join(
            f'<p style="text-indent:2em;">{escape(p)}</p>' for p in bulletin.paragraphs
        )
        related = "".join(
            f'<li><a href="{posixpath.relpath(other.path, posixpath.dirname(entry.path))}">'
            f"{escape(other.title)}</a></li>"
            for other in self.related(entry)
        )
        html = (
            _HEAD.format(title=f"{title}-邻省公安厅", meta=meta) + '<div class="main w1200">\n'
            f'  <div class="bTitle w915"><p>{title}</p></div>\n'
            f'  <div class="arcTool relative">来源：{origin}　　'
            f"{entry.published:%Y年%m月%d日}　　【字号：<a>大</a> <a>中</a> <a>小</a>】"
            '　<a href="javascript:window.print()">打印本页</a></div>\n'
            f'  <div class="wordContent w915"><div id="ztdx">\n{paragraphs}\n</div></div>\n'
            f'  <div class="xgwz"><h3>相关阅读</h3><ul>{related}</ul></div>\n'
            "</div>\n" + _FOOT
        )
        return Page(html.encode())
