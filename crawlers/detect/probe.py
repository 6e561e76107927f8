"""`bulletins sources probe`: what a page holds, found with no selectors, and a
source block that crawls it.

A page is a listing or an article (or what the user says it is). For a listing:
its items, next page, every list with its heading, the selectors that reproduce
the main list and a YAML source block; for an article: title, date, body and the
selectors that found them.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import yaml

from crawlers.detect import Detection, detect_listing
from crawlers.detect.article import find_date, find_title, labelled_date, text_after
from crawlers.detect.body import SPECIFIC_BODIES, body_element, body_text, main_text
from crawlers.detect.derive import derive_selectors
from crawlers.detect.links import LinkKind, link_kind
from crawlers.detect.page import Page, parse_page
from crawlers.detect.paging import CREATE_PAGE, has_pager
from crawlers.detect.text import title_units

SCRIPT_LISTS = {
    "jiangxi": re.compile(r"loadPageData\s*\(|/queryList\b"),
    "zhejiang": re.compile(r"unitbuild\.js", re.I),
    "hanweb": re.compile(r"<datastore>", re.I),
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def script_family(html: str) -> str | None:
    """The family whose spider reads a list the page loads by script, if one does."""
    for family, pattern in SCRIPT_LISTS.items():
        if pattern.search(html):
            return family
    return None


def page_kind(page: Page, detection: Detection) -> str:
    """``listing`` or ``article``, from the page's own signs."""
    article = listing = 0.0
    kind = link_kind(page.url)
    if kind is LinkKind.ARTICLE:
        article += 2
    elif kind is LinkKind.SECTION:
        listing += 2
    if any(
        (m.get("name") or "").lower() == "articletitle" and m.get("content")
        for m in page.root.iter("meta")
    ):
        article += 3
    if script_family(page.html):
        listing += 3
    biggest = max((len(lst.items) for lst in detection.lists), default=0)
    listing += 2 if biggest >= 8 else 1 if len(detection.items) >= 5 else 0
    if has_pager(page.root, page.html, page.url, page.resolve):
        listing += 1
    found = body_element(page.root)
    if found is not None:
        text = body_text(found[0])
        article += 2 if len(text) >= 300 else 1 if len(text) >= 80 else 0
        article += 1 if found[1] in SPECIFIC_BODIES else 0
    _title, _how, element = find_title(page.root)
    if element is not None and labelled_date(text_after(page.root, element)[:40], "UTC"):
        article += 1
    return "listing" if listing > article else "article"


def _slug(url: str, heading: str | None) -> str:
    parts = urlsplit(url)
    host = [p for p in (parts.hostname or "site").split(".")
            if p not in ("www", "gov", "cn", "com", "org", "net")]
    dirs = [d for d in parts.path.split("/") if d and "." not in d][-1:]
    slug = "-".join([*host[-2:], *dirs]).lower()
    slug = re.sub(r"[^a-z0-9_-]+", "-", slug).strip("-") or "new-source"
    return slug[:60]


def _meta(page: Page, name: str) -> str | None:
    for meta in page.root.iter("meta"):
        if (meta.get("name") or "").lower() == name.lower() and (meta.get("content") or "").strip():
            return " ".join(meta.get("content").split())
    return None


def _language(titles: list[str]) -> str:
    joined = "".join(titles)
    return "zh" if len(CJK.findall(joined)) >= max(1, len(joined) // 10) else "en"


def listing_result(page: Page, detection: Detection) -> dict[str, Any]:
    in_items = [lst for lst in detection.lists if lst.main]
    selectors: dict[str, Any] = {}
    if not detection.home and len(in_items) == 1 and in_items[0].found is not None:
        selectors = derive_selectors(page.root, in_items[0].found, page.resolve)
    family = script_family(page.html)
    trs = CREATE_PAGE.search(page.html)
    block: dict[str, Any] = {}
    if family and family != "hanweb":
        block["family"] = family
    elif family == "hanweb":
        block["spider"] = "hanweb"
    elif trs:
        block["spider"] = "trs"
    list_block: dict[str, Any] = dict(selectors)
    if not family and trs:
        list_block["pages"] = f"{trs.group(3)}_{{n}}.{trs.group(4)}"
        list_block["pages_from"] = 1
        selectors["pages"] = list_block["pages"]
    heading = None
    if detection.home:
        named = [lst for lst in detection.lists if lst.heading and not lst.offsite]
        if named:
            heading = max(named, key=lambda lst: (lst.found.score if lst.found else 0))
            list_block = {"heading": heading.heading, "min_pages": 1, "max_pages": 1}
            selectors = {"heading": heading.heading}
    titles = [i.title or "" for i in detection.items]
    site = _meta(page, "SiteName")
    column = _meta(page, "ColumnName") or (heading.heading if heading else None)
    name = " ".join(p for p in (site, column) if p) or (titles and page.url) or page.url
    source: dict[str, Any] = {
        "id": _slug(page.url, heading.heading if heading else None),
        "name": name,
        "language": _language(titles),
        "start_urls": [page.url],
        **block,
        "list": list_block,
    }
    config = yaml.safe_dump([source], allow_unicode=True, sort_keys=False, width=100)
    others = [lst for lst in detection.lists if heading is None or lst is not heading]
    if detection.home and others:
        lines = "".join(
            f"#   {lst.heading or '(no heading)'}: {len(lst.items)} item(s)"
            + (" (other sites)" if lst.offsite else "") + "\n"
            for lst in others
        )
        config += "# other lists on this page (set list.heading to follow one instead):\n" + lines
    return {
        "kind": "listing",
        "items": [{"url": i.url, "title": i.title, "date": i.date} for i in detection.items],
        "next_page": detection.next_page,
        "lists": [lst.to_json() for lst in detection.lists],
        "selectors": selectors,
        "config": config,
    }


def article_result(page: Page, tz: str = "Asia/Shanghai") -> dict[str, Any]:
    title, title_from, element = find_title(page.root)
    published, date_from = find_date(page.root, page.html, page.url, element, tz)
    body, body_css = main_text(page.root, page.html, page.url, title)
    selectors: dict[str, Any] = {}
    if title_from and title_from.startswith("meta "):
        meta = {"meta articletitle": "ArticleTitle", "meta og:title": "og:title"}[title_from]
        attr = "property" if meta.startswith("og:") else "name"
        selectors["title"] = f"meta[{attr}='{meta}']::attr(content)"
    elif title_from == "h1":
        selectors["title"] = "h1"
    if body_css:
        selectors["body"] = body_css
    return {
        "kind": "article",
        "title": title,
        "date": published.isoformat() if published else None,
        "date_from": date_from,
        "body": body,
        "selectors": selectors,
    }


def probe(
    html: str, url: str, kind: str | None = None, tz: str = "Asia/Shanghai"
) -> dict[str, Any]:
    """What the page at `url` holds: a listing's items or an article's parts."""
    page = parse_page(html, url)
    detection = detect_listing(page, url)
    chosen = kind or page_kind(page, detection)
    if chosen == "listing":
        return listing_result(page, detection)
    return article_result(page, tz)


__all__ = ["probe", "title_units"]
