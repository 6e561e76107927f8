"""The heading of a list: the name a page gives it (公安要闻, 工作动态, 新闻发布 …).

In order: the link to the list's own column (a tab or title whose URL is the
directory the items live in, the most specific one); the nearest title-like element
before the list (``h2``-``h4``, ``.title``, ``.tit``, ``.hd`` …); the CMS comment
that opens the component (``<!--start component 新闻列表(公安要闻)-->``). "More"
links are not headings, but name the column's address.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from crawlers.detect.links import LinkKind, column_of, link_kind, usable_href
from crawlers.detect.lists import FoundList, signature
from crawlers.detect.text import squash, title_units, visible_text

MORE = re.compile(r"^(?:更多|更多>+|more|more>+|查看更多|>>+|»|\+|更多\+|MORE\s*\+?)$", re.I)
HEADING_CLASS = re.compile(r"tit|hd|head|bt|name|lm|lanmu|column|caption|label|tab", re.I)
COMMENT_NAME = re.compile(r"start component[^()（]*[(（]\s*([^()（）]{1,30})[)）]")
_STRIP = " :：>»·|[]【】"


def _clean(text: str) -> str:
    text = squash(text).strip(_STRIP)
    return re.sub(r"\s*(?:更多|more)\s*[>»+]*$", "", text, flags=re.I).strip(_STRIP)


PAGER_WORDS = re.compile(
    r"^(?:首页|上一页|下一页|上页|下页|尾页|末页|\d+|第\d+页|prev|next|last|first)$", re.I
)


def _headingish(text: str) -> bool:
    return (1.5 <= title_units(text) <= 16 and not MORE.match(text)
            and not PAGER_WORDS.match(text))


def _column_links(
    root: Any, resolve: Callable[[str], str | None]
) -> list[tuple[Any, str, str]]:
    """(anchor, column directory, text) of every link to a section page."""
    out = []
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if not usable_href(href):
            continue
        raw = "".join(anchor.itertext())
        if len(raw) > 60:  # a heading is short
            continue
        url = resolve(href)
        if url is None or link_kind(url) is not LinkKind.SECTION:
            continue
        text = _clean(visible_text(anchor) or anchor.get("title") or "")
        out.append((anchor, column_of(url), text))
    return out


def _before(a: Any, b: Any) -> bool:
    return (a.sourceline or 0) <= (b.sourceline or 0)


def name_lists(
    lists: list[FoundList], root: Any, resolve: Callable[[str], str | None]
) -> None:
    links = _column_links(root, resolve)
    for found in lists:
        found.heading, found.column_url = _from_column_links(found, links)
        if not found.heading:
            found.heading = _preceding_title(found) or _component_comment(found)


def _prefixes(url: str) -> list[str]:
    """Every directory above `url`: ``…/a/b/c.html`` -> ``…/a/b/``, ``…/a/``, ``…/``."""
    column = column_of(url)
    out = [column]
    while column.count("/") > 3:
        column = column[: column.rstrip("/").rfind("/") + 1]
        out.append(column)
    return out


def _from_column_links(
    found: FoundList, links: list[tuple[Any, str, str]]
) -> tuple[str | None, str | None]:
    counts: dict[str, int] = {}
    for item in found.items:
        for prefix in _prefixes(item.url):
            counts[prefix] = counts.get(prefix, 0) + 1
    total = len(found.items)
    first = found.items[0].element
    members = {id(item.element) for item in found.items}
    best: tuple[int, int, str, str] | None = None
    more_url = None
    for anchor, column, text in links:
        if counts.get(column, 0) < 0.6 * total or urlsplit(column).path in ("", "/"):
            continue
        if _inside_any(anchor, members, found.container):
            continue
        depth = column.count("/")
        # the nearest link before the list wins among equally specific ones
        near = -(abs((first.sourceline or 0) - (anchor.sourceline or 0)))
        if not text or MORE.match(text):
            more_url = more_url or column
            continue
        if not _headingish(text):
            continue
        key = (depth, near, text, column)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return None, more_url
    return best[2], best[3]


def _inside_any(anchor: Any, members: set[int], container: Any) -> bool:
    node = anchor.getparent()
    while node is not None and node is not container:
        if id(node) in members:
            return True
        node = node.getparent()
    return False


def _preceding_title(found: FoundList) -> str | None:
    """The nearest title-like element before the list, walking up a few levels. Where
    the list is one of several panels (tabs), the tab at the panel's position."""
    node = found.container
    position: int | None = None
    for _level in range(4):
        kind = signature(node)
        panels = [s for s in node.itersiblings(preceding=True) if _same(s, kind)]
        if position is None and (panels or any(_same(s, kind) for s in node.itersiblings())):
            position = len(panels)
        sibling = node.getprevious()
        steps = 0
        while sibling is not None and steps < 4:
            if isinstance(sibling.tag, str):
                if _same(sibling, kind):  # another panel of the same box
                    sibling = sibling.getprevious()
                    continue
                text = _title_of(sibling, position or 0)
                if text:
                    return text
                if sibling.find(".//a") is not None and len(visible_text(sibling)) > 60:
                    break  # another block of content: stop looking back here
            sibling, steps = sibling.getprevious(), steps + 1
        node = node.getparent()
        if node is None or node.tag == "body":
            break
    return None


def _same(node: Any, kind: str) -> bool:
    return isinstance(node.tag, str) and signature(node) == kind


def _tabs(node: Any) -> list[str]:
    """The names of a tab bar: several short entries side by side."""
    for holder in (node, *node.iterdescendants("ul", "div", "p", "span")):
        names = [_clean(visible_text(c)) for c in holder if isinstance(c.tag, str)]
        names = [n for n in names if n]
        if len(names) >= 2 and all(_headingish(n) for n in names):
            return names
    return []


def _title_of(element: Any, position: int = 0) -> str | None:
    tabs = _tabs(element)
    if len(tabs) >= 2:
        return tabs[min(position, len(tabs) - 1)]
    candidates = [element, *element.iter()]
    for node in candidates:
        if not isinstance(node.tag, str):
            continue
        named = node.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b") or (
            HEADING_CLASS.search(f"{node.get('class', '')} {node.get('id', '')}")
        )
        if not named:
            continue
        text = _clean(visible_text(node))
        if _headingish(text):
            return text
        # a title bar that holds a name and a "more" link
        for child in node:
            if isinstance(child.tag, str):
                value = _clean(visible_text(child))
                if _headingish(value):
                    return value
    return None


def _component_comment(found: FoundList) -> str | None:
    node: Any = found.container
    for _level in range(3):
        sibling = node.getprevious()
        steps = 0
        while sibling is not None and steps < 6:
            if not isinstance(sibling.tag, str):
                match = COMMENT_NAME.search(sibling.text or "")
                if match:
                    return squash(match.group(1))
            sibling, steps = sibling.getprevious(), steps + 1
        node = node.getparent()
        if node is None:
            break
    return None
