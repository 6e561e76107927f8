"""The benchmark site: N synthetic Chinese articles of about 8 KB each, UTF-8, served fast.

- listing ``/bench/index.html``, ``index_1.html``, ``index_2.html`` … (page N >= 2 is
  ``index_{N-1}.html``), 20 items each, linked by ``a.next``
- items ``ul.list li`` -> ``a`` + ``span`` (``YYYY-MM-DD``)
- articles ``/bench/YYYYMM/tYYYYMMDD_{n}.html``: ``h1``, ``div.info``
  (``发布时间：YYYY-MM-DD HH:MM``), body ``div.article-body``

Articles are assembled from a fixed pool of pre-encoded paragraphs plus one
paragraph of figures unique to each, and rendered to bytes once, at start.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from html import escape
from typing import Any

from replica.content import CST, Bulletin
from replica.sites.base import Entry, Page, Site

COLUMN = "/bench/"
PER_PAGE = 20
_BASE = datetime(2024, 1, 1, 8, 0, tzinfo=CST)
_TARGET_BYTES = 8000  # of body text per article

_SUBJECTS = (
    "全省各级公安机关",
    "各地公安机关",
    "刑侦部门",
    "网安部门",
    "治安部门",
    "经侦部门",
    "基层派出所",
    "反诈中心",
    "出入境管理部门",
    "交通管理部门",
    "禁毒部门",
)
_ACTIONS = (
    "坚持以人民为中心的发展思想",
    "紧盯人民群众反映强烈的突出问题",
    "深入推进专项打击整治行动",
    "持续加强源头治理和综合治理",
    "不断完善情报研判和警种协作机制",
    "全面落实打防管控各项措施",
    "扎实开展矛盾纠纷排查化解工作",
    "大力推进智慧警务建设",
)
_RESULTS = (
    "切实维护了社会大局持续稳定",
    "推动各项工作取得了新的成效",
    "有力震慑了违法犯罪分子的嚣张气焰",
    "进一步提升了人民群众的安全感和满意度",
    "为经济社会高质量发展营造了良好环境",
)
_CITIES = ("南州", "东平", "青川", "安陵", "云溪", "临江", "北固", "西陵", "白沙", "石门")


def _pool() -> list[str]:
    """64 paragraphs of five sentences each, built from the phrase lists above."""
    paragraphs = []
    for p in range(64):
        sentences = []
        for s in range(5):
            n = p * 5 + s
            sentences.append(
                f"{_SUBJECTS[n % len(_SUBJECTS)]}{_ACTIONS[(n * 3 + p) % len(_ACTIONS)]}，"
                f"{_RESULTS[(n * 7 + p) % len(_RESULTS)]}。"
            )
        paragraphs.append("".join(sentences))
    return paragraphs


_POOL = _pool()
_POOL_HTML = [f"<p>{p}</p>\n".encode() for p in _POOL]
_PER_ARTICLE = max(1, _TARGET_BYTES // len(_POOL[0].encode()))


def _figures(key: int, city: str) -> str:
    return (
        f"据统计，{city}市公安机关第{key}期专项行动共侦办各类案件{10 + key * 37 % 900}起，"
        f"抓获犯罪嫌疑人{20 + key * 53 % 1500}名，打掉犯罪团伙{1 + key * 11 % 60}个，"
        f"冻结涉案资金{100 + key * 97 % 9000}万元，封堵涉诈网站{key * 131 % 5000 + 50}个。"
    )


class BenchSite(Site):
    site_id = "bench"
    source_id = "replica-bench"
    prefix = "/bench"
    language = "zh"
    per_page = PER_PAGE

    def __init__(self, seen: set[str], articles: int) -> None:
        self._count = articles
        super().__init__(seen)

    @classmethod
    def source(cls, base_url: str, articles: int = 0) -> dict[str, Any]:
        return {
            "id": cls.source_id,
            "name": "基准测试站点 通报",
            "agency": "Replica Benchmark Site",
            "level": "municipal",
            "region": "Replica",
            "language": "zh",
            "schedule": "*/30 * * * *",
            "start_urls": [f"{base_url}{COLUMN}index.html"],
            "list": {
                "item": "ul.list li",
                "link": "a::attr(href)",
                "title": "a::text",
                "date": "span::text",
                "next_page": "a.next::attr(href)",
                "min_pages": 2,
                "max_pages": max(2, math.ceil(articles / PER_PAGE) + 2),
            },
            "article": {"title": "h1::text", "date": "div.info::text", "body": "div.article-body"},
            "render": "never",
            "encoding": "auto",
        }

    # Bench texts are distinct by construction (a unique figures paragraph), so they
    # skip the templates and the server-wide uniqueness check for speed.
    def _initial_entries(self) -> list[Entry]:
        entries = [
            self._new_entry(key, _BASE + timedelta(minutes=10 * key))
            for key in range(1, self._count + 1)
        ]
        entries.reverse()
        return entries

    def _new_entry(self, key: int, when: datetime) -> Entry:
        city = _CITIES[key % len(_CITIES)]
        title = f"{city}市公安机关第{key}期专项行动工作通报"
        start = key * 7 % len(_POOL)
        body = tuple(_POOL[(start + i) % len(_POOL)] for i in range(_PER_ARTICLE))
        bulletin = Bulletin(title, (_figures(key, city), *body), "zh")
        return Entry(key, self.article_path(key, when), when, title, bulletin)

    def generate(self, rng: random.Random, when: datetime) -> Bulletin:
        raise NotImplementedError("bench articles come from _new_entry")

    def article_path(self, key: int, when: datetime) -> str:
        return f"{COLUMN}{when:%Y%m}/t{when:%Y%m%d}_{key}.html"

    def listing_path(self, number: int) -> str:
        return f"{COLUMN}index.html" if number == 1 else f"{COLUMN}index_{number - 1}.html"

    def render_listing(self, number: int, total: int, entries: Sequence[Entry]) -> Page:
        items = "".join(
            f'<li><a href="./{entry.path.removeprefix(COLUMN)}">{entry.title}</a>'
            f"<span>{entry.published:%Y-%m-%d}</span></li>\n"
            for entry in entries
        )
        pager = f"<span>第{number}页 共{total}页</span>"
        if number < total:
            following = self.listing_path(number + 1).removeprefix(COLUMN)
            pager += f' <a class="next" href="{following}">下一页</a>'
        html = (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            "<title>基准测试站点</title></head>\n"
            f'<body>\n<div class="nav"><a href="{COLUMN}index.html">首页</a></div>\n'
            f'<ul class="list">\n{items}</ul>\n<div class="page">{pager}</div>\n'
            '<div class="footer">版权所有：基准测试站点</div>\n</body></html>\n'
        )
        return Page(html.encode(), last_modified=self.last_modified)

    def render_article(self, entry: Entry, bulletin: Bulletin) -> Page:
        title = escape(bulletin.title)
        start = entry.key * 7 % len(_POOL)
        head = (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>{title}</title></head>\n<body>\n"
            f'<div class="nav"><a href="{COLUMN}index.html">首页</a></div>\n'
            f"<h1>{title}</h1>\n"
            f'<div class="info">发布时间：{entry.published:%Y-%m-%d %H:%M}</div>\n'
            f'<div class="article-body">\n<p>{escape(bulletin.paragraphs[0])}</p>\n'
        ).encode()
        body = b"".join(_POOL_HTML[(start + i) % len(_POOL)] for i in range(_PER_ARTICLE))
        foot = '</div>\n<div class="footer">版权所有：基准测试站点</div>\n</body></html>\n'.encode()
        return Page(head + body + foot)
