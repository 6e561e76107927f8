"""Site 2: a ministry's English news column (UTF-8).

- listing ``/en/news/index.html``, then ``index_2.html``, ``index_3.html`` ...,
  each linked by ``a.next`` ("Next")
- items ``ul.news-list li`` -> ``a`` + ``span.date`` (``Sep 8, 2023``)
- articles ``/en/news/YYYYMM/DD/content_WS{24 hex}.html``: ``h1``,
  ``<time datetime=...>``, ``meta[property=article:published_time]``; the body is
  plain ``<p>``s in ``div.article-body`` and the source names no body selector,
  so header nav, the sidebar's "Related" links and the footer stay apart from it
- the first listing page also links to a page that is gone (:data:`GONE_PATH`,
  404) and to one that never answers (:data:`HANG_PATH`)
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Any

from replica import templates_en
from replica.content import CST, Bulletin, seeds
from replica.sites.base import Entry, Page, Site

COLUMN = "/en/news/"
GONE_PATH = "/en/news/202403/18/content_WS65f7d1a2c31082fc2b6a8f11.html"
HANG_PATH = "/en/news/202403/12/content_WS65efc0d3a31082fc2b6a7e09.html"

_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{meta}<link rel="stylesheet" href="/en/static/site.css">
</head>
<body>
<header class="site-header">
  <div class="brand"><a href="/en/">Ministry of Public Security (Replica)</a></div>
  <nav class="main-nav">
    <ul>
      <li><a href="/en/">Home</a></li>
      <li><a href="/en/news/index.html">News</a></li>
      <li><a href="/en/about.html">About the Ministry</a></li>
      <li><a href="/en/services.html">Services for Foreigners</a></li>
      <li><a href="/en/contact.html">Contact Us</a></li>
    </ul>
  </nav>
</header>
"""

_FOOT = """<footer class="site-footer">
  <ul class="footer-links">
    <li><a href="/en/sitemap.html">Sitemap</a></li>
    <li><a href="/en/contact.html">Contact Us</a></li>
    <li><a href="/en/privacy.html">Privacy</a></li>
  </ul>
  <p>Copyright Ministry of Public Security (Replica). All rights reserved.</p>
  <p>Registration number: 京ICP备05070218号. Best viewed at 1280x800.</p>
</footer>
</body>
</html>
"""


def display_date(when: datetime) -> str:
    """``Sep 8, 2023``."""
    return f"{when:%b} {when.day}, {when.year}"


class MinistryEnSite(Site):
    site_id = "en"
    source_id = "replica-en"
    prefix = "/en"
    language = "en"
    per_page = 12
    hang_paths = frozenset({HANG_PATH})

    @classmethod
    def source(cls, base_url: str) -> dict[str, Any]:
        return {
            "id": cls.source_id,
            "name": "Ministry of Public Security (Replica) - News",
            "agency": "Replica Ministry of Public Security",
            "level": "national",
            "region": "Replica",
            "language": "en",
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
            "article": {
                "title": "h1::text",
                "date": "meta[property='article:published_time']::attr(content)",
            },
            "render": "never",
            "encoding": "auto",
        }

    def initial_plan(self) -> tuple[datetime, int, list[tuple[datetime, Bulletin]]]:
        found = seeds()
        fixed = [(found[n].published, found[n].bulletin) for n in ("000", "002", "003", "004")]
        return datetime(2024, 3, 26, tzinfo=CST), 26, fixed

    def dead_links(self) -> list[tuple[datetime, str, str]]:
        return [
            (
                datetime(2024, 3, 18, 16, 0, tzinfo=CST),
                "Statement on the results of the spring public security campaign",
                GONE_PATH,
            ),
            (
                datetime(2024, 3, 12, 15, 0, tzinfo=CST),
                "Transcript of the ministry's regular press conference",
                HANG_PATH,
            ),
        ]

    def generate(self, rng: random.Random, when: datetime) -> Bulletin:
        return templates_en.generate(rng, when)

    def article_path(self, key: int, when: datetime) -> str:
        digest = hashlib.sha256(f"en:{key}".encode()).hexdigest()[:24]
        return f"{COLUMN}{when:%Y%m}/{when:%d}/content_WS{digest}.html"

    def listing_path(self, number: int) -> str:
        return f"{COLUMN}index.html" if number == 1 else f"{COLUMN}index_{number}.html"

    def extra_pages(self, listing: dict[str, Page]) -> dict[str, Page]:
        home = Page(
            (
                _HEAD.format(title="Ministry of Public Security (Replica)", meta="")
                + '<main><h1>Welcome</h1>\n<p><a href="/en/news/index.html">Latest news</a></p>'
                + "</main>\n"
                + _FOOT
            ).encode()
        )
        return {COLUMN: listing[self.listing_path(1)], "/en/": home, "/en/index.html": home}

    def render_listing(self, number: int, total: int, entries: Sequence[Entry]) -> Page:
        items = "".join(
            f'    <li><a href="{entry.path}">{escape(entry.title)}</a>'
            f' <span class="date">{display_date(entry.published)}</span></li>\n'
            for entry in entries
        )
        pager = []
        if number > 1:
            pager.append(
                f'<a class="prev" href="{self.listing_path(number - 1).removeprefix(COLUMN)}">'
                "Previous</a>"
            )
        pager.append(f"<span>Page {number} of {total}</span>")
        if number < total:
            pager.append(
                f'<a class="next" href="{self.listing_path(number + 1).removeprefix(COLUMN)}">'
                "Next</a>"
            )
        html = (
            _HEAD.format(title="News - Ministry of Public Security (Replica)", meta="")
            + '<main class="column">\n  <h1 class="column-title">News</h1>\n'
            f'  <ul class="news-list">\n{items}  </ul>\n'
            f'  <div class="pager">{" ".join(pager)}</div>\n</main>\n' + _FOOT
        )
        return Page(html.encode(), last_modified=self.last_modified)

    def render_article(self, entry: Entry, bulletin: Bulletin) -> Page:
        title = escape(bulletin.title)
        stamp = entry.published.isoformat()
        summary = escape(bulletin.paragraphs[0][:160]) if bulletin.paragraphs else ""
        meta = (
            f'<meta name="description" content="{summary}">\n'
            f'<meta property="og:title" content="{title}">\n'
            '<meta property="og:type" content="article">\n'
            f'<meta property="article:published_time" content="{stamp}">\n'
        )
        paragraphs = "\n".join(f"    <p>{escape(p)}</p>" for p in bulletin.paragraphs)
        related = "\n".join(
            f'      <li><a href="{other.path}">{escape(other.title)}</a></li>'
            for other in self.related(entry, 5)
        )
        html = (
            _HEAD.format(title=f"{title} - Ministry of Public Security (Replica)", meta=meta)
            + '<div class="layout">\n<main>\n<article class="news-article">\n'
            f"  <h1>{title}</h1>\n"
            f'  <div class="byline">Updated: <time datetime="{stamp}">'
            f"{display_date(entry.published)}</time> | Source: Ministry of Public Security</div>\n"
            f'  <div class="article-body">\n{paragraphs}\n  </div>\n'
            '  <div class="share">Share: <a href="#">WeChat</a> <a href="#">Weibo</a>'
            ' <a href="javascript:window.print()">Print</a></div>\n'
            "</article>\n</main>\n"
            '<aside class="sidebar">\n  <section class="related">\n    <h2>Related</h2>\n'
            f"    <ul>\n{related}\n    </ul>\n  </section>\n"
            '  <section class="most-read">\n    <h2>Most Read</h2>\n'
            '    <ul><li><a href="/en/services.html">Visa-free entry policies explained</a></li>'
            '<li><a href="/en/services.html">How to apply for a residence permit</a></li></ul>\n'
            "  </section>\n</aside>\n</div>\n" + _FOOT
        )
        return Page(html.encode())
