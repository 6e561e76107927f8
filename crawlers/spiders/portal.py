"""Government sites read from a home page or a column of unknown CMS.

The list selectors of the ``gov-portal`` family are broad (they must fit sites
nobody has described), so they also catch navigation, service links and other
sites' banners. This spider keeps only the links whose path looks like an
article of one of the CMS families Chinese government sites use.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy.http import TextResponse

from crawlers.detect.links import LinkKind, is_repost_host, link_kind, same_site
from crawlers.selectors import select
from crawlers.spiders.bulletin import BulletinSpider, ListingEntry
from crawlers.spiders.support import entries_from

ARTICLE_PATH = re.compile(
    r"""
      /t20\d{6}_\d+\.s?html?$                 # TRS WCM: /202401/t20240115_123.html
    | /art_\d+_\d+\.html?$ | /art/20\d{2}/     # Hanweb: /art/2024/1/15/art_12_34.html
    | /c\d+/content\.html?$                   # F1: /n…/c123/content.html
    | /content/post_\d+\.html?$               # Guangdong: /content/post_123.html
    | content_\d+\.s?html?$                   # gov.cn, Jiangxi: content_123.htm
    | /[0-9a-f]{32}\.s?html?$                 # 32-hex ids (Sichuan, Hainan, Xinjiang)
    | /20\d{2}(?:[/-]?\d{1,2}){1,2}/          # dated directories: /202401/, /2024/9/14/
    | /20\d{6}/[^/]+\.s?html?$                # Shanghai: /20240115/{hex}.html
    | Pages_\d+_\d+\.aspx$                    # Yunnan
    | /(?:xiangqing|detail|view|show|article)[/_-]?\S*\d{3,}  # detail pages with an id
    | /\d{5,}\.s?html?$                       # numeric ids
    """,
    re.VERBOSE | re.IGNORECASE,
)


def looks_like_article(url: str) -> bool:
    parts = urlsplit(url)
    if ARTICLE_PATH.search(parts.path + (f"?{parts.query}" if parts.query else "")):
        return True
    return link_kind(url) is LinkKind.ARTICLE


class PortalSpider(BulletinSpider):
    """The generic spider, keeping only listing links that look like articles."""

    name = "bulletin-portal"

    def listing_entries(self, response: TextResponse) -> list[ListingEntry]:
        """Entries that look like articles of this site (other sites' banners and
        entries nested in other entries left out)."""
        spec = self.source.list
        if not spec.item:
            return []  # found by detection (crawlers.detect.crawl)
        return [
            entry
            for entry in entries_from(select(response, spec.item), spec, response.urljoin)
            if looks_like_article(entry.url)
            and (same_site(entry.url, response.url) or is_repost_host(entry.url))
        ]
