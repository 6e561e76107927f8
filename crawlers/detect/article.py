"""An article page's title and publication date, without selectors.

Title: ``meta[name=ArticleTitle]``, ``og:title``, the page's ``h1`` (not a logo's),
a title-like element the ``<title>`` starts with, then ``<title>`` less the site's
name (`` - 某某省公安厅``, ``_网站名``).

Date: the visible label first (发布时间 / 发布日期 / 发文日期, then 时间 / 日期 /
Published / Updated), read after the title; then ``meta PubDate`` and its kin,
unless the value is the page-generation stamp some CMSs write there (it equals
``Maketime`` / ``HtmlGenerateTime`` / ``others: 页面生成时间 …``); then an unlabelled
date in the line under the title; then htmldate; then the URL.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from crawlers.dates import date_from_url, parse_date
from crawlers.detect.text import squash, title_units, visible_text

TITLE_METAS = ("ArticleTitle", "og:title", "title", "twitter:title")
DATE_METAS = ("PubDate", "pubdate", "publishdate", "firstpublishedtime", "article:published_time",
              "datePublished", "publish_date", "PublishTime", "dc.date", "DC.Date")
STAMP_METAS = ("Maketime", "maketime", "HtmlGenerateTime", "GenerateTime", "generate-time",
               "createtime", "others")
STRONG_LABEL = r"发布时间|发布日期|发文日期|发稿时间|公开日期|Published|Release Date"
WEAK_LABEL = r"时\s*间|日\s*期|更新时间|Updated|Date|Time"
LABEL = re.compile(rf"(?<![印成生当访截止到起])({STRONG_LABEL}|{WEAK_LABEL})\s*[:：]\s*", re.I)
NOT_A_DATE_LABEL = re.compile(r"(?:打印|生成|当前|访问|截止|成文|有效|浏览|开始|结束|实施)$")
SEPARATORS = re.compile(r"\s*(?:[-_|–—·]|\s-\s|\s—\s)\s*")
CHROME = re.compile(r"logo|header|top|nav|banner|footer", re.I)


def _meta(root: Any, names: tuple[str, ...]) -> str | None:
    wanted = {n.lower() for n in names}
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
        if key in wanted:
            value = squash(meta.get("content"))
            if value:
                return value
    return None


def _metas(root: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
        value = squash(meta.get("content"))
        if key and value and key not in found:
            found[key] = value
    return found


def _in_chrome(element: Any) -> bool:
    node = element.getparent()
    while node is not None and node.tag != "body":
        if node.tag in ("header", "nav", "footer") or CHROME.search(
            f"{node.get('class', '')} {node.get('id', '')}"
        ):
            return True
        node = node.getparent()
    return False


def page_title(root: Any) -> str:
    for node in root.iter("title"):
        return squash(visible_text(node))
    return ""


def strip_site_name(title: str, site: str | None = None) -> str:
    """``标题_某某网`` / ``标题 - 栏目 - 网站`` -> ``标题``."""
    if site and title.endswith(site) and len(title) > len(site) + 2:
        title = title[: -len(site)].rstrip(" -_|–—·")
    parts = [p for p in re.split(r"\s+[-|–—]\s+|_|\|", title) if p.strip()]
    if len(parts) > 1:
        return max(parts[:-1] if len(parts) > 2 else parts[:1], key=title_units).strip()
    return title.strip()


def find_title(root: Any, listing_title: str | None = None) -> tuple[str | None, str | None, Any]:
    """(title, how it was found, the element showing it or None)."""
    metas = _metas(root)
    page = page_title(root)
    site = metas.get("sitename")
    heads = [h for h in root.iter("h1") if not _in_chrome(h)]
    for name in ("articletitle", "og:title"):
        value = metas.get(name)
        if value and title_units(value) >= 2:
            return value, f"meta {name}", _showing(root, value)
    core = strip_site_name(page, site)
    for h1 in heads:
        text = visible_text(h1)
        # A short heading counts when the page's <title> says the same.
        agreed = bool(core) and _key(text) == _key(core or "") and title_units(text) >= 2
        if (title_units(text) >= 4 or agreed) and text != site:
            return text, "h1", h1
    # an element whose text the <title> starts with (h2, .title, p.con-title …)
    if core and (core == site or title_units(core) < 4) and listing_title:
        return listing_title, "listing", _showing(root, listing_title)
    if core:
        shown = _showing(root, core)
        if shown is not None:
            return visible_text(shown), "title element", shown
        return core, "<title>", None
    if listing_title:
        return listing_title, "listing", None
    return None, None, None


def _key(text: str) -> str:
    return "".join(text.split())


def _showing(root: Any, title: str) -> Any:
    """The body element that shows `title` (for the date search that follows it)."""
    want = _key(title)
    if not want:
        return None
    body = root.find(".//body")
    if body is None:
        return None
    for tag in ("h1", "h2", "h3", "h4", "p", "div", "td", "span", "strong"):
        for node in body.iter(tag):
            raw = "".join(node.itertext())
            if len(raw) > 3 * len(want) + 200:
                continue
            text = _key(raw)
            close = text == want or (len(text) >= 6 and want.startswith(text))
            if close and len(text) <= len(want) + 4:
                return node
    return None


def text_after(root: Any, anchor: Any, limit: int = 120) -> list[str]:
    """Visible texts of the body in order, starting at `anchor` when given."""
    body = root.find(".//body")
    if body is None:
        return []
    texts: list[str] = []
    started = anchor is None
    skip = ("script", "style", "noscript", "select", "option", "textarea")
    for node in body.iter():
        if not started:
            if node is anchor:
                started = True
            else:
                continue
        if not isinstance(node.tag, str) or node.tag in skip:
            if node.tail and started and node.tail.strip():
                texts.append(node.tail)
            continue
        if node.text and node.text.strip():
            texts.append(node.text)
        if node.tail and node.tail.strip():
            texts.append(node.tail)
        if len(texts) >= limit:
            break
    return [squash(t) for t in texts]


def labelled_date(texts: list[str], tz: str) -> datetime | None:
    """The date after the strongest 发布时间/日期-style label in `texts`."""
    joined = " ".join(texts)
    best: tuple[int, int, datetime] | None = None
    for match in LABEL.finditer(joined):
        if NOT_A_DATE_LABEL.search(joined[max(0, match.start() - 4) : match.start()]):
            continue
        value = parse_date(joined[match.end() : match.end() + 40], tz)
        if value is None or re.search(r"\d", joined[match.end() : match.end() + 1]) is None:
            continue
        strength = 0 if re.match(STRONG_LABEL, match.group(1), re.I) else 1
        key = (strength, match.start(), value)
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2] if best else None


def _stamp_values(metas: dict[str, str], tz: str) -> set[str]:
    stamps = set()
    for name in STAMP_METAS:
        value = metas.get(name.lower())
        found = parse_date(value, tz) if value else None
        if found:
            stamps.add(found.strftime("%Y-%m-%d %H:%M"))
    return stamps


def find_date(
    root: Any, html: str, url: str, title_element: Any, tz: str = "Asia/Shanghai"
) -> tuple[datetime | None, str | None]:
    """(publication date, where it was read)."""
    after = text_after(root, title_element) if title_element is not None else []
    found = labelled_date(after[:60], tz) if after else None
    if found is None:
        found = labelled_date(text_after(root, None, 400), tz)
    if found:
        return found, "label"
    metas = _metas(root)
    stamps = _stamp_values(metas, tz)
    for name in DATE_METAS:
        value = metas.get(name.lower())
        parsed = parse_date(value, tz) if value else None
        if parsed and parsed.strftime("%Y-%m-%d %H:%M") not in stamps:
            return parsed, f"meta {name}"
    for node in root.iter("publishtime", "time"):
        parsed = parse_date(node.get("datetime") or visible_text(node), tz)
        if parsed:
            return parsed, node.tag
    for text in after[1:6]:
        if len(text) < 80:
            parsed = parse_date(text, tz)
            if parsed:
                return parsed, "line under the title"
    try:
        from htmldate import find_date as htmldate_find

        value = htmldate_find(html, url=url, original_date=True, extensive_search=False)
    except Exception:  # htmldate raises on odd markup; the URL is still there
        value = None
    parsed = parse_date(value, tz) if value else None
    if parsed and parsed.strftime("%Y-%m-%d %H:%M") not in stamps:
        return parsed, "htmldate"
    from_url = date_from_url(url, tz)
    return (from_url, "url") if from_url else (None, None)
