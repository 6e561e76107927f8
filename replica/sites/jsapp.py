"""Site 5: a column whose listing is built by JavaScript from a JSON endpoint.

Without a browser the listing is an empty ``<ul>`` (SITES.md §5 B: "1 link without
JS and 1833 with it"):

- listing ``/jsapp/news/index.html``, then ``index_2.html`` ...: header, footer, an
  empty ``ul.news-list`` and a script that fetches ``list_{n}.json`` and builds
  ``<li><a href=…>title</a><span class="date">YYYY-MM-DD</span></li>`` items and,
  when there is a next page, ``a.next``
- ``/jsapp/news/list_{n}.json``: ``{"page", "pages", "items": [{"title", "url", "date"}]}``
- articles ``/jsapp/news/YYYYMMDD/{key}.html`` are plain HTML: ``h1``, ``div.info``
  (``发布时间：YYYY-MM-DD HH:MM``), body ``div.article-body``

For the browser's failure tests, ``/jsapp/trap/index.html`` lists three of the
articles and :data:`BUSY_PATH`, a page whose script never ends (it hangs its
renderer); it is linked from nowhere else.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Any

from replica import templates_zh
from replica.content import CST, Bulletin
from replica.sites.base import Entry, Page, Site

COLUMN = "/jsapp/news/"
TRAP = "/jsapp/trap/"
BUSY_PATH = f"{TRAP}busy.html"
JSON = "application/json; charset=utf-8"

_HEAD = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/jsapp/static/app.css">
</head>
<body>
<header class="top"><a href="/jsapp/">脚本市公安局（复制站）</a>
<nav><a href="/jsapp/">首页</a> <a href="{column}index.html">警方发布</a></nav></header>
"""
_FOOT = """<footer class="foot"><img src="/jsapp/static/badge.png" alt="">
主办：脚本市公安局（复制站）</footer>
</body></html>
"""
_LIST_SCRIPT = """<script>
(function () {
  var page = %d;
  fetch('list_' + page + '.json', {headers: {'Accept': 'application/json'}})
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var ul = document.querySelector('ul.news-list');
      data.items.forEach(function (it) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.setAttribute('href', it.url);
        a.textContent = it.title;
        var span = document.createElement('span');
        span.className = 'date';
        span.textContent = it.date;
        li.appendChild(a);
        li.appendChild(span);
        ul.appendChild(li);
      });
      if (data.page < data.pages) {
        var next = document.createElement('a');
        next.className = 'next';
        next.setAttribute('href', 'index_' + (data.page + 1) + '.html');
        next.textContent = '下一页';
        document.querySelector('div.pager').appendChild(next);
      }
    });
})();
</script>"""


class JsAppSite(Site):
    site_id = "jsapp"
    source_id = "replica-jsapp"
    prefix = "/jsapp"
    language = "zh"
    per_page = 10

    @classmethod
    def source(cls, base_url: str) -> dict[str, Any]:
        return {
            "id": cls.source_id,
            "name": "脚本市公安局 警方发布",
            "agency": "Replica Public Security Bureau with a JavaScript-built listing",
            "level": "municipal",
            "region": "Replica",
            "language": "zh",
            "schedule": "*/30 * * * *",
            "start_urls": [f"{base_url}{COLUMN}index.html"],
            "list": {
                "item": "ul.news-list li",
                "link": "a::attr(href)",
                "title": "a::text",
                "date": "span.date::text",
                "next_page": "a.next::attr(href)",
                "min_pages": 2,
                "max_pages": 5,
            },
            "article": {"title": "h1::text", "date": "div.info::text", "body": "div.article-body"},
            "render": "always",
            "encoding": "auto",
        }

    @classmethod
    def trap_source(cls, base_url: str) -> dict[str, Any]:
        """A source whose listing links the page that hangs the browser."""
        source = cls.source(base_url)
        source.update(
            id="replica-jsapp-trap",
            name="脚本市公安局 陷阱页",
            start_urls=[f"{base_url}{TRAP}index.html"],
        )
        source["list"] = {**source["list"], "item": "ul.list li", "date": "span::text"}
        return source

    def initial_plan(self) -> tuple[datetime, int, list[tuple[datetime, Bulletin]]]:
        return datetime(2024, 3, 26, tzinfo=CST), 24, []

    def generate(self, rng: random.Random, when: datetime) -> Bulletin:
        return templates_zh.generate(rng, when)

    def article_path(self, key: int, when: datetime) -> str:
        return f"{COLUMN}{when:%Y%m%d}/{8800 + key}.html"

    def listing_path(self, number: int) -> str:
        return f"{COLUMN}index.html" if number == 1 else f"{COLUMN}index_{number}.html"

    def json_path(self, number: int) -> str:
        return f"{COLUMN}list_{number}.json"

    def render_listing(self, number: int, total: int, entries: Sequence[Entry]) -> Page:
        # The HTML is the same whatever is published: the list lives in the JSON.
        html = (
            _HEAD.format(title="警方发布", column=COLUMN)
            + '<main class="column"><h1 class="column-title">警方发布</h1>\n'
            '<ul class="news-list"></ul>\n<div class="pager"></div>\n</main>\n'
            + _LIST_SCRIPT % number
            + "\n"
            + _FOOT
        )
        return Page(html.encode())

    def pages(self) -> dict[str, Page]:
        pages = super().pages()
        total = self.page_count
        for number in range(1, total + 1):
            chunk = self.entries[(number - 1) * self.per_page : number * self.per_page]
            data = {
                "page": number,
                "pages": total,
                "items": [
                    {"title": e.title, "url": e.path, "date": f"{e.published:%Y-%m-%d}"}
                    for e in chunk
                ],
            }
            pages[self.json_path(number)] = Page(
                json.dumps(data, ensure_ascii=False).encode(),
                content_type=JSON,
                headers=(("Cache-Control", "no-cache"),),
            )
        pages.update(self._trap_pages())
        return pages

    def _trap_pages(self) -> dict[str, Page]:
        linked = [e for e in self.entries if e.bulletin is not None][:3]
        items = "".join(
            f'<li><a href="{e.path}">{escape(e.title)}</a>'
            f"<span>{e.published:%Y-%m-%d}</span></li>\n"
            for e in linked
        )
        items += (
            f'<li><a href="{BUSY_PATH}">一个永远加载不完的页面</a><span>2024-03-20</span></li>\n'
        )
        listing = (
            _HEAD.format(title="陷阱页", column=COLUMN)
            + f'<main><ul class="list">\n{items}</ul></main>\n'
            + _FOOT
        )
        busy = (
            _HEAD.format(title="永远加载不完", column=COLUMN)
            + "<main><h1>永远加载不完的页面</h1>\n"
            "<script>for (;;) {}</script>\n"
            '<div class="article-body"><p>这段文字永远不会被浏览器读到。</p></div></main>\n' + _FOOT
        )
        return {f"{TRAP}index.html": Page(listing.encode()), BUSY_PATH: Page(busy.encode())}

    def render_article(self, entry: Entry, bulletin: Bulletin) -> Page:
        title = escape(bulletin.title)
        paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in bulletin.paragraphs)
        html = (
            _HEAD.format(title=title, column=COLUMN) + f"<main><article><h1>{title}</h1>\n"
            f'<div class="info">发布时间：{entry.published:%Y-%m-%d %H:%M}</div>\n'
            f'<div class="article-body">\n{paragraphs}\n</div></article></main>\n' + _FOOT
        )
        return Page(html.encode())

    def extra_pages(self, listing: dict[str, Page]) -> dict[str, Page]:
        return {COLUMN: listing[self.listing_path(1)]}
