"""Reading one listing item: its article link, title and date.

An item is the element a list repeats (``li``, ``tr``, ``dd``, a ``div`` row, or a
bare ``a``). Links inside a list nested in the item (a "related" pop-up under each
entry, a ``ul`` of tags) are not the item's own; of its own links the one that most
looks like an article, with the longest title, is the item's link.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crawlers.detect.dates import chunk_date, is_date_text
from crawlers.detect.links import LinkKind, link_kind, usable_href
from crawlers.detect.text import is_cut, squash, text_nodes, title_units, visible_text

NESTED_TAGS = frozenset(["ul", "ol", "li", "select"])
NESTED_CLASS = re.compile(r"pop|relat|xgwz|xglj|xgjd|jiedu|layer|tooltip|dropdown", re.I)
BLOCK_TAGS = frozenset(["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "span", "strong", "b",
                        "em", "dt", "dd"])
TITLE_CLASS = re.compile(r"tit|bt|name|head", re.I)
GENERIC_TITLES = frozenset(
    ["详情", "详细", "查看", "点击查看", "阅读全文", "more", "更多", "详细信息"]
)


@dataclass
class ItemRead:
    """What one item holds: its link, title and date, and how article-like it is."""

    element: Any
    url: str
    title: str
    date: date | None
    kind: LinkKind
    units: float
    anchors: list[Any] = field(default_factory=list)
    strong_links: int = 1  # distinct article-like links of the item itself


def _classes(element: Any) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}"


def is_nested(anchor: Any, item: Any, *, itself: bool = False) -> bool:
    """Whether `anchor` sits in a list (or pop-up) nested inside `item`."""
    node = anchor if itself else anchor.getparent()
    while node is not None and node is not item:
        if node.tag in NESTED_TAGS or NESTED_CLASS.search(_classes(node)):
            return True
        node = node.getparent()
    return False


def _inside(node: Any, ancestor: Any) -> bool:
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def anchor_title(anchor: Any) -> str:
    """An anchor's title: its text, or its ``title`` attribute where the text is cut
    short (``…``) or missing; date-only children (``<span>2024-01-15</span>``) left out."""
    parts = []
    for owner, text in text_nodes(anchor):
        if owner is not anchor and owner.tag in BLOCK_TAGS and is_date_text(visible_text(owner)):
            continue
        parts.append(text)
    text = squash(" ".join(parts))
    blocks = [c for c in anchor if isinstance(c.tag, str) and c.tag in BLOCK_TAGS]
    if len(blocks) >= 2 and not squash(anchor.text):
        for block in blocks:
            value = visible_text(block)
            if title_units(value) >= 4 and not is_date_text(value):
                text = value
                break
    attr = squash(anchor.get("title"))
    if attr and attr.lower() not in GENERIC_TITLES:
        core = text.rstrip("…. ").strip()
        if not text or is_cut(text) or (len(attr) > len(text) and attr.startswith(core[:8])):
            return attr
    if not text:
        for image in anchor.iter("img"):
            alt = squash(image.get("alt") or image.get("title"))
            if alt:
                return alt
    return text


def _item_heading_text(item: Any, skip: list[Any]) -> str:
    for node in item.iter():
        if not isinstance(node.tag, str) or any(_inside(node, s) for s in skip):
            continue
        if node.tag in ("h1", "h2", "h3", "h4", "h5", "h6") or (
            node.tag in BLOCK_TAGS and TITLE_CLASS.search(_classes(node))
        ):
            value = visible_text(node)
            if title_units(value) >= 4 and not is_date_text(value):
                return value
    return ""


class LinkReader:
    """Resolved URLs, link kinds and anchor titles, each worked out once per page
    (an anchor is read again for every level of the page it could be an item at)."""

    def __init__(self, resolve: Callable[[str], str | None]) -> None:
        self._resolve = resolve
        self._urls: dict[str, str | None] = {}
        self._kinds: dict[str, LinkKind] = {}
        self._titles: dict[Any, str] = {}

    def url(self, anchor: Any) -> str | None:
        href = anchor.get("href")
        if not usable_href(href):
            return None
        if href not in self._urls:
            self._urls[href] = self._resolve(href)
        return self._urls[href]

    def kind(self, url: str) -> LinkKind:
        if url not in self._kinds:
            self._kinds[url] = link_kind(url)
        return self._kinds[url]

    def title(self, anchor: Any) -> str:
        if anchor not in self._titles:
            self._titles[anchor] = anchor_title(anchor)
        return self._titles[anchor]


def _longest_text(item: Any) -> str:
    """The item's longest text that is not a date (a title shown outside its link)."""
    best = ""
    for _owner, text in text_nodes(item):
        value = squash(text)
        if title_units(value) > title_units(best) and not is_date_text(value):
            best = value
    return best if title_units(best) >= 4 else ""


def read_item(
    item: Any,
    links: LinkReader,
    reference: date,
    extra_chunks: list[str] | None = None,
) -> ItemRead | None:
    """The item's own article link with its title and date, or None without a link."""
    anchors = [item] if item.tag == "a" else list(item.iter("a"))
    own: dict[str, list[Any]] = {}
    nested: dict[str, list[Any]] = {}
    for anchor in anchors:
        url = links.url(anchor)
        if url is None:
            continue
        target = nested if anchor is not item and is_nested(anchor, item) else own
        target.setdefault(url, []).append(anchor)
    flat = not own  # the item's links all sit in an inner list: read it whole
    if flat:
        own, nested = nested, {}
    if not own:
        return None
    reads = []
    for url, group in own.items():
        title = max((links.title(a) for a in group), key=title_units, default="")
        kind = links.kind(url)
        reads.append((url, group, title, kind))

    def rank(entry: tuple[str, list[Any], str, LinkKind]) -> tuple[int, float]:
        units = title_units(entry[2])
        return (2 if entry[3] is LinkKind.ARTICLE else 1 if entry[3] is LinkKind.OTHER else 0,
                min(units, 12.0))

    url, group, title, kind = max(reads, key=rank)
    strong = sum(1 for r in reads if r[3] is LinkKind.ARTICLE and title_units(r[2]) >= 5)
    if title_units(title) < 4 or title.lower() in GENERIC_TITLES:
        # a "详情"/"查看" link beside the title, or a picture link: the item's own text
        title = _item_heading_text(item, []) or _longest_text(item) or title
    chunks = date_chunks(item, group, skip_nested=not flat)
    if extra_chunks:
        chunks.extend(extra_chunks)
    return ItemRead(
        element=item,
        url=url,
        title=title,
        date=chunk_date(chunks, reference),
        kind=kind,
        units=title_units(title),
        anchors=group,
        strong_links=max(strong, 1),
    )


def date_chunks(item: Any, title_anchors: list[Any], *, skip_nested: bool = True) -> list[str]:
    """The item's texts outside its title link (and outside nested lists), one per node;
    a date-only element inside the title link counts too."""
    chunks = []
    for owner, text in text_nodes(item):
        value = squash(text)
        if not value:
            continue
        if skip_nested and owner is not item and is_nested(owner, item, itself=True):
            continue
        in_title = any(_inside(owner, a) for a in title_anchors)
        if in_title and (owner in title_anchors or not is_date_text(value)):
            continue
        chunks.append(value)
    return chunks
