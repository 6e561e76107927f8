"""Finding a page's article lists by structure.

A list is a run of sibling elements of one kind (``li``, ``tr``, ``dd``, ``div`` rows
of one class, bare ``a``) each holding its own link to an article-like page with a
title of real length, most often with a date. Menus, breadcrumbs, footers and
columns of section links fail that test (short names, section URLs, no dates); a
list nested inside another list's items (a "related" pop-up) is dropped in favour of
the outer one, and a link is claimed by one list only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crawlers.detect.dates import chunk_date, is_date_text
from crawlers.detect.items import ItemRead, LinkReader, read_item
from crawlers.detect.links import LinkKind, is_repost_host, same_site
from crawlers.detect.text import squash, visible_text

MAX_ITEM_DEPTH = 6  # levels between an item and its link
MAX_ITEM_LINKS = 6  # links an item may hold (title, picture, category, 解读 …)
NOISE_CLASS = re.compile(r"\b(?:on|cur|current|active|selected|sel|first|last|odd|even|hover|"
                         r"clearfix|clear|cl|fl|fr|left|right|hide|show|none|noline)\b", re.I)
CHROME_TAGS = frozenset(["nav", "footer", "header"])
CHROME_CLASS = re.compile(
    r"(?:^|[\s_-])(?:nav\w*|menu\w*|footer|foot|bottom|breadcrumb|crumbs?|position|location|"
    r"daohang|dh|yqlj|friend\w*|links|sitemap|topbar|toolbar)(?:$|[\s_-])",
    re.I,
)
CAROUSEL_CLASS = re.compile(
    r"lunbo|banner|slide|swiper|carousel|focus|scroll|marquee|flash|picnews|tupian|"
    r"(?:^|[\s_-])(?:roll|pic|pics|img|imgs)(?:$|[\s_-])",
    re.I,
)
SKIP_CONTAINERS = frozenset(["head", "select", "script", "style", "noscript", "template"])


@dataclass
class FoundList:
    """One list of a page: its container, items and what they look like."""

    container: Any
    members: list[Any]
    items: list[ItemRead]
    score: float = 0.0
    heading: str | None = None
    column_url: str | None = None
    foreign: bool = False  # made of links to other sites
    order: int = 0  # position in the page
    dropped_foreign: int = 0
    stats: dict[str, float] = field(default_factory=dict)


def signature(element: Any) -> str:
    tag = element.tag
    if tag in ("li", "tr", "dd", "dt", "a", "p", "tbody"):
        return tag
    classes = NOISE_CLASS.sub(" ", element.get("class") or "")
    classes = re.sub(r"\d+", "", classes)
    return tag + "." + ".".join(sorted(set(classes.split())))


def _chrome(container: Any) -> bool:
    node, depth = container, 0
    while node is not None and depth < 8:
        if node.tag in CHROME_TAGS:
            return True
        if CHROME_CLASS.search(f"{node.get('class', '')} {node.get('id', '')}"):
            return True
        node, depth = node.getparent(), depth + 1
    return False


def _carousel(container: Any) -> bool:
    node, depth = container, 0
    while node is not None and depth < 4:
        if CAROUSEL_CLASS.search(f"{node.get('class', '')} {node.get('id', '')}"):
            return True
        node, depth = node.getparent(), depth + 1
    return False


def _sibling_chunks(member: Any, same: str) -> list[str]:
    """Date text beside an item that is not inside it: a bare link's tail and the
    next few siblings (``<a>…</a><span>2024-01-15</span><br>``), or the ``dd`` after
    a ``dt``."""
    chunks = []
    if member.tail and member.tail.strip():
        chunks.append(squash(member.tail))
    node = member.getnext()
    for _ in range(3):
        if node is None or not isinstance(node.tag, str) or signature(node) == same:
            break
        if node.tag == "a" or node.find(".//a") is not None:
            break
        text = visible_text(node)
        if text and is_date_text(text):
            chunks.append(text)
        if node.tail and node.tail.strip():
            chunks.append(squash(node.tail))
        node = node.getnext()
    return chunks


_DIGITS_DATE = re.compile(r"\d{1,4}[-/.年月]\d{1,2}")


def _promising(members: list[Any], links: LinkReader) -> bool:
    """A cheap look at a few members: does any link to an article or show a date?
    (Menus and footers of site links are passed over without reading each entry.)"""
    for member in members[:6]:
        anchors = [member] if member.tag == "a" else member.iter("a")
        for anchor in anchors:
            url = links.url(anchor)
            if url and links.kind(url) is LinkKind.ARTICLE:
                return True
        if _DIGITS_DATE.search("".join(member.itertext())):
            return True
        if member.tag in ("a", "dt") and _DIGITS_DATE.search(member.tail or "") is not None:
            return True
    return False


def candidates(
    root: Any, resolve: Callable[[str], str | None], reference: date, quick: bool = True
) -> list[FoundList]:
    """Every sibling group that could be a list, read item by item (`quick`: groups
    whose first members show neither an article link nor a date are passed over)."""
    links = LinkReader(resolve)
    body = root.find(".//body")
    scope = body if body is not None else root
    parents: dict[Any, list[Any]] = {}
    anchors_in: dict[Any, int] = {}
    for anchor in scope.iter("a"):
        if not anchor.get("href"):
            continue
        child, parent = anchor, anchor.getparent()
        for _ in range(MAX_ITEM_DEPTH + 1):
            if parent is None or parent.tag in ("html", "body"):
                break
            anchors_in[child] = anchors_in.get(child, 0) + 1
            bucket = parents.setdefault(parent, [])
            if not bucket or bucket[-1] is not child:
                bucket.append(child)
            child, parent = parent, parent.getparent()
    found = []
    for order, (parent, children) in enumerate(parents.items()):
        if parent.tag in SKIP_CONTAINERS or len(children) < 2:
            continue
        groups: dict[str, list[Any]] = {}
        for child in children:
            # an element with many links is a box of links, not one entry
            if isinstance(child.tag, str) and anchors_in.get(child, 0) <= MAX_ITEM_LINKS:
                groups.setdefault(signature(child), []).append(child)
        for sig, holding in groups.items():
            if len(holding) < 2:
                continue
            members = [c for c in parent if isinstance(c.tag, str) and signature(c) == sig]
            if len(holding) < len(members) / 2 or (quick and not _promising(holding, links)):
                continue
            bare = sig in ("a", "dt")
            items = []
            seen: set[str] = set()
            for member in holding:
                extra = _sibling_chunks(member, sig) if bare else None
                read = read_item(member, links, reference, extra)
                if read is not None and read.url not in seen:
                    seen.add(read.url)
                    items.append(read)
            if len(items) >= 2:
                found.append(FoundList(parent, members, items, order=order))
    return found


def evaluate(found: FoundList, page_url: str, plain: bool = False) -> bool:
    """Score a candidate; False when it is not an article list. `plain`: a page with no
    list of article-like or dated links may still list plain links with long titles."""
    if plain:
        found.items = [i for i in found.items if i.kind is not LinkKind.SECTION]
        if len(found.items) < 3:
            return False
    items = found.items
    n = len(items)
    art = sum(1 for i in items if i.kind is LinkKind.ARTICLE) / n
    section = sum(1 for i in items if i.kind is LinkKind.SECTION) / n
    dated = sum(1 for i in items if i.date is not None) / n
    titled = sum(1 for i in items if i.units >= 5) / n
    mean_units = sum(min(i.units, 30.0) for i in items) / n
    multi = sum(1 for i in items if i.strong_links > 1) / n
    found.stats = {"art": art, "dated": dated, "titled": titled, "units": mean_units}
    if n / max(len(found.members), 1) < 0.5:
        return False
    if titled < 0.6 or mean_units < 6 or section > 0.5:
        return False
    if art < 0.5 and dated < 0.5 and not (plain and titled >= 0.8 and mean_units >= 8):
        return False
    if multi > 0.5:
        return False  # each member holds several articles: a box of lists, not a list
    if dated < 0.5 and _carousel(found.container):
        return False  # picture carousels and scrollers repeat headlines
    score = sum(
        (1.0 if i.kind is LinkKind.ARTICLE else 0.3 if i.kind is LinkKind.OTHER else 0.0)
        + (1.0 if i.units >= 8 else 0.5 if i.units >= 5 else 0.0)
        + (1.0 if i.date else 0.0)
        for i in items
    )
    if _chrome(found.container):
        score *= 0.4
    offsite = [i for i in items if not same_site(i.url, page_url) and not is_repost_host(i.url)]
    found.foreign = len(offsite) / n > 0.5
    if offsite and not found.foreign:
        found.items = [i for i in items if i not in offsite]
        found.dropped_foreign = len(offsite)
    found.score = score
    return len(found.items) >= 2


def _inside(node: Any, ancestor: Any) -> bool:
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def resolve_overlaps(lists: list[FoundList], min_items: int) -> list[FoundList]:
    """Keep the best lists: a list inside another's item, or around other lists, or
    claiming links already claimed, gives way. Returned in page order."""
    kept: list[FoundList] = []
    claimed: set[str] = set()
    for found in sorted(lists, key=lambda f: (-f.score, f.order)):
        if len(found.items) < min_items:
            continue
        if any(_inside(found.container, item.element) for k in kept for item in k.items):
            continue
        if any(_inside(k.container, item.element) for k in kept for item in found.items):
            continue
        fresh = [i for i in found.items if i.url not in claimed]
        if len(fresh) < max(min_items, len(found.items) / 2):
            continue
        found.items = fresh
        claimed.update(i.url for i in fresh)
        kept.append(found)
    return sorted(kept, key=_document_position)


def _document_position(found: FoundList) -> int:
    return found.items[0].element.sourceline or 0


def find_lists(
    root: Any, page_url: str, resolve: Callable[[str], str | None], reference: date
) -> list[FoundList]:
    """The article lists of a page, in page order."""
    good = [f for f in candidates(root, resolve, reference) if evaluate(f, page_url)]
    kept = resolve_overlaps(good, 3)
    if not kept:
        strict = [f for f in good if f.stats["art"] == 1 and f.stats["dated"] == 1]
        kept = resolve_overlaps(strict, 2)
    if not kept:  # no article-like or dated list: plain links with long titles
        plain = [f for f in candidates(root, resolve, reference, quick=False)
                 if evaluate(f, page_url, plain=True)]
        kept = resolve_overlaps(plain, 3)
    return kept


__all__ = ["FoundList", "chunk_date", "find_lists"]
