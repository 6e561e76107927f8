"""What a link points at: an article, a section (column) page, or something else;
and whether it stays on the page's own site.

The article shapes are those of the CMS families Chinese government sites run
(TRS WCM, Hanweb/大汉, F1, the Guangdong and Jiangxi clusters, 政府网站集约化
platforms, ASP.NET and JSP portals) plus the generic signs of a document: a dated
path, a long numeric or hex id, a detail/view/show page with an id parameter.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

ARTICLE_PATH = re.compile(
    r"""
      /t(?:19|20)\d{6}_\d+\.\w+$                 # TRS WCM: /202401/t20240115_123.html
    | /art_\d+_\d+\.\w+$ | /art/(?:19|20)\d{2}/  # Hanweb: /art/2024/1/15/art_12_34.html
    | /art_[0-9a-f]{16,}\.\w+$                   # Zhejiang platform: art_{32hex}.html
    | /c\d+/content\.\w+$                        # F1: /n…/c123/content.html
    | /content/post_\d+\.\w+$                    # Guangdong cluster
    | content_\d+\.\w+$                          # gov.cn, Jiangxi: content_123.htm
    | /[0-9a-f]{16,}(?:/c)?\.\w+$                # hex ids (Sichuan, Hainan, Xinjiang, news.cn)
    | /[0-9a-f]{16,}/c\.html?$
    | /(?:19|20)\d{2}(?:[/_-]?[01]\d)(?:[/_-]?[0-3]\d)?/[^/]+\.\w+$   # dated directories
    | /(?:19|20)\d{2}/[01]?\d[/-][0-3]?\d/[^/]+$
    | /(?:19|20)\d{2}-[01]\d/[0-3]\d/[^/]+$
    | /info/\d+/\d+\.\w+$                        # VSB (博达): /info/1012/12345.htm
    | Pages_\d+_\d+\.aspx$                       # Yunnan
    | /\d{5,}\.\w+$                              # numeric ids: /174084153.shtml
    | /[a-z]*_?\d{6,}\.\w+$                      # news_2024123.html, a20240101123.html
    | /(?:detail|details|xiangqing|view|show|article|content|news|info|doc|showinfo)
        [/_-]?[\w-]*?\d{3,}[\w-]*(?:\.\w+)?$     # detail pages with an id in the path
    """,
    re.VERBOSE | re.IGNORECASE,
)
ID_PARAMS = re.compile(
    r"^(?:id|aid|nid|docid|doc_id|articleid|article_id|newsid|news_id|contentid|content_id|"
    r"infoid|info_id|itemid|wbnewsid|wbtreeid_none|guid|uuid|cid|sid|tid|pid|fileid|detailid)$",
    re.IGNORECASE,
)
SECTION_PATH = re.compile(
    r"""
      (?:^|/)$                                   # a directory
    | /index(?:_\d+)?\.\w+$ | /default\.\w+$ | /main\.\w+$ | /list(?:_\d+)?\.\w+$
    | /col/col\d+/(?:index\.\w+)?$               # Hanweb columns
    | /n\d+(?:/n\d+)*/?(?:index\.\w+)?$          # F1 columns
    | /list\d*\.aspx$ | /list[_-]?\w*\.\w+$
    """,
    re.VERBOSE | re.IGNORECASE,
)
SECTION_FILE = re.compile(
    r"/(?:index|default|main|list|more)(?:_\d+)*\.\w+$|/$", re.IGNORECASE
)
SKIPPED = ("javascript:", "mailto:", "tel:", "#", "data:", "about:", "vbscript:")
FILE_EXT = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?|wps|ofd|zip|rar|7z|jpe?g|png|gif|bmp|mp4|mp3|apk|exe)$", re.I
)
#: Hosts whose pages repost a site's own releases (a column may link every item there).
REPOST_HOSTS = ("mp.weixin.qq.com", "weibo.com", "m.weibo.cn", "toutiao.com", "www.toutiao.com")


class LinkKind(Enum):
    ARTICLE = "article"
    SECTION = "section"
    FILE = "file"
    OTHER = "other"


def usable_href(href: str | None) -> bool:
    if not href:
        return False
    value = href.strip().lower()
    return bool(value) and not value.startswith(SKIPPED)


@lru_cache(maxsize=8192)
def link_kind(url: str) -> LinkKind:
    parts = urlsplit(url)
    path = parts.path or "/"
    if FILE_EXT.search(path):
        return LinkKind.FILE
    host = parts.hostname or ""
    if host == "mp.weixin.qq.com" and (path.startswith("/s") or "__biz" in parts.query):
        return LinkKind.ARTICLE
    if SECTION_FILE.search(path) and not parts.query:
        return LinkKind.SECTION
    if ARTICLE_PATH.search(path):
        return LinkKind.ARTICLE
    if parts.query:
        for key, value in parse_qsl(parts.query):
            if ID_PARAMS.match(key) and len(value) >= 2 and any(c.isdigit() for c in value):
                return LinkKind.ARTICLE
    if SECTION_PATH.search(path):
        return LinkKind.SECTION
    return LinkKind.OTHER


@lru_cache(maxsize=8192)
def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


@lru_cache(maxsize=1024)
def site_key(host: str) -> str:
    """The registrable part of a host: ``gat.gansu.gov.cn`` -> ``gansu.gov.cn``."""
    parts = host.lower().removeprefix("www.").split(".")
    if len(parts) >= 3 and parts[-2] in ("gov", "com", "org", "edu", "net", "ac") and len(
        parts[-1]
    ) == 2:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def same_site(url: str, page_url: str) -> bool:
    return site_key(host_of(url)) == site_key(host_of(page_url))


def is_repost_host(url: str) -> bool:
    host = host_of(url)
    return any(host == h or host.endswith("." + h) for h in REPOST_HOSTS)


@lru_cache(maxsize=8192)
def column_of(url: str) -> str:
    """The directory a URL lives in (``…/n2253535/c1/content.html`` -> ``…/n2253535/c1/``)."""
    parts = urlsplit(url)
    path = parts.path
    if not path.endswith("/"):
        path = path.rsplit("/", 1)[0] + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"
