"""Spiders: one generic spider, and small subclasses for CMS quirks.

A source picks its spider with the `spider` key (default ``generic``).
"""

from __future__ import annotations

from crawlers.spiders.bulletin import BulletinSpider
from crawlers.spiders.f1 import F1Spider
from crawlers.spiders.hanweb import HanwebSpider, ZhejiangSpider
from crawlers.spiders.jiangxi import JiangxiSpider
from crawlers.spiders.portal import PortalSpider
from crawlers.spiders.trs import TrsSpider

SPIDERS: dict[str, type[BulletinSpider]] = {
    "generic": BulletinSpider,
    "f1": F1Spider,  # "n…/c…/content.html": comp_ lists, fragment pages counted down
    "trs": TrsSpider,  # TRS WCM: stops at the page count of createPageHTML()
    "hanweb": HanwebSpider,  # Hanweb JCMS: <datastore> records, POST dataproxy.jsp
    "zhejiang": ZhejiangSpider,  # Zhejiang Hanweb platform: "unit build" JSON API
    "jiangxi": JiangxiSpider,  # Jiangxi cluster: POST /queryList JSON
    "portal": PortalSpider,  # unknown CMS: keeps only links that look like articles
}


def spider_class(name: str) -> type[BulletinSpider]:
    try:
        return SPIDERS[name]
    except KeyError:
        raise ValueError(f"unknown spider {name!r} (known: {', '.join(sorted(SPIDERS))})") from None
