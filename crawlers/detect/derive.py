"""Selectors that reproduce what detection found, for a source block to paste.

The item selector is the list container's path (ids, classes, child combinators,
so a list nested in the items is not matched) and the item tag; link, title and
date selectors are paths inside an item. Each is checked by reading the page with
it the way the spider does: a selector that does not give back exactly the
detected links is not offered (the source then relies on detection).
"""

from __future__ import annotations

import re
from typing import Any

from parsel import Selector

from crawlers.detect.dates import chunk_date
from crawlers.detect.lists import NOISE_CLASS, FoundList
from crawlers.detect.text import squash
from crawlers.selectors import first_text

IDENT = re.compile(r"^-?[A-Za-z_][\w-]*$")
AUTO_ID = re.compile(r"^(?:ext-|yui|j_id|ember|react|__)", re.I)


def step(element: Any, *, with_id: bool = True) -> str:
    """One CSS step for `element`: ``tag#id`` or ``tag.class.class``."""
    tag = element.tag
    element_id = element.get("id") or ""
    if with_id and IDENT.match(element_id) and not AUTO_ID.search(element_id):
        return f"{tag}#{element_id}"
    classes = [
        c for c in NOISE_CLASS.sub(" ", element.get("class") or "").split()
        if IDENT.match(c) and not re.search(r"\d{3,}", c)
    ]
    return tag + "".join(f".{c}" for c in classes[:2])


def _matches(root: Any, css: str) -> list[Any]:
    try:
        return [m.root for m in Selector(root=root).css(css)]
    except Exception:  # cssselect rejects some generated steps
        return []


def _with_position(node: Any, here: str) -> str:
    """`here`, with ``:nth-of-type(k)`` when a sibling of the same tag matches it too."""
    if "#" in here:
        return here
    wanted = set(here.split(".")[1:])
    before = [s for s in node.itersiblings(preceding=True) if s.tag == node.tag]
    after = [s for s in node.itersiblings() if s.tag == node.tag]
    if any(wanted <= set((s.get("class") or "").split()) for s in [*before, *after]):
        return f"{here}:nth-of-type({len(before) + 1})"
    return here


def container_css(root: Any, container: Any) -> str | None:
    """A selector matching `container` alone, as short as will do."""
    steps: list[str] = []
    node = container
    for _ in range(7):
        if node is None or node.tag in ("html", "body"):
            break
        here = step(node)
        plain = " > ".join([here, *steps])
        if _matches(root, plain) == [container]:
            return plain
        steps.insert(0, _with_position(node, here))
        css = " > ".join(steps)
        if _matches(root, css) == [container]:
            return css
        if "#" in here:
            break
        node = node.getparent()
    return None


def _relative(item: Any, target: Any) -> str:
    """The child-combinator path from `item` to `target`, or "" for the item itself;
    a step shared by an earlier sibling gets its position (``a:nth-of-type(2)``)."""
    steps: list[str] = []
    node = target
    while node is not None and node is not item:
        here = step(node, with_id=False)
        if node.tag == "td":
            cells = [c for c in node.getparent() if isinstance(c.tag, str)]
            here = f"td:nth-child({cells.index(node) + 1})"
        else:
            wanted = set(here.split(".")[1:])
            before = [
                s for s in node.itersiblings(preceding=True)
                if s.tag == node.tag and wanted <= set((s.get("class") or "").split())
            ]
            if before:
                here += f":nth-of-type({len(before) + 1})"
        steps.insert(0, here)
        node = node.getparent()
    return " > ".join(steps)


def _reads(items: list[Any], link: str) -> list[str | None]:
    return [first_text(Selector(root=i), link) for i in items]


def derive_selectors(page_root: Any, found: FoundList, resolve: Any) -> dict[str, str]:
    """``item``, ``link``, ``title``, ``date`` selectors reproducing `found`, or {}."""
    first = found.items[0].element
    member = first.tag if first.tag in ("li", "tr", "dd", "dt", "p", "a") else step(
        first, with_id=False
    )
    # The elements themselves, not their id(): a freed lxml proxy's id is reused.
    parents = {i.element.getparent() for i in found.items}
    if len(parents) > 1:  # one list drawn as several blocks: their common parent
        block = found.container
        container = container_css(page_root, block.getparent())
        member = f"{step(block, with_id=False)} > {member}"
    else:
        container = container_css(page_root, found.container)
    if not container:
        return {}
    item_css = f"{container} > {member}"
    nodes = _matches(page_root, item_css)
    want = [i.url for i in found.items]
    for link_path in _link_paths(found):
        link = f"{link_path}::attr(href)" if link_path else "::attr(href)"
        got: list[str] = []
        for node in nodes:
            href = first_text(Selector(root=node), link)
            url = resolve(href) if href else None
            if url and url not in got:
                got.append(url)
        if got == want:
            selectors = {"item": item_css, "link": link}
            selectors.update(_title_and_date(found, link_path))
            return selectors
    return {}


def _link_paths(found: FoundList) -> list[str]:
    paths = []
    for item in found.items[:3]:
        if item.element.tag == "a":
            return [""]
        path = _relative(item.element, item.anchors[0])
        if path not in paths:
            paths.append(path)
    return ["a", *paths] if "a" not in paths else paths


def _title_and_date(found: FoundList, link_path: str) -> dict[str, str]:
    out: dict[str, str] = {}
    anchor = link_path or "xpath:."
    options = [f"{link_path}::attr(title)", link_path] if link_path else ["::attr(title)", anchor]
    first = found.items[0]
    texts = [a for a in first.anchors if squash("".join(a.itertext()))]
    if texts:
        longest = max(texts, key=lambda a: len(squash("".join(a.itertext()))))
        options += [_relative(first.element, longest) + "::attr(title)",
                    _relative(first.element, longest)]
        shown = [n for n in longest.iter() if isinstance(n.tag, str)
                 and squash("".join(n.itertext())) == squash(first.title)]
        options += [_relative(first.element, n) for n in shown if n is not longest]
    for option in options:
        titles = [first_text(Selector(root=i.element), option) for i in found.items]
        right = sum(1 for t, i in zip(titles, found.items, strict=True)
                    if squash(t or "") == squash(i.title))
        if right >= 0.9 * len(found.items):
            out["title"] = option
            break
    dated = [i for i in found.items if i.date]
    if len(dated) >= 0.5 * len(found.items):
        for path in _date_paths(dated[0]):
            right = 0
            for item in dated:
                text = first_text(Selector(root=item.element), path)
                if text and item.date and chunk_date([text], item.date) == item.date:
                    right += 1
            if right >= 0.9 * len(dated):
                out["date"] = path
                break
    return out


def _date_paths(item: Any) -> list[str]:
    paths: list[str] = []
    for node in item.element.iter():
        if not isinstance(node.tag, str) or node is item.element or node in item.anchors:
            continue
        text = squash(node.text)
        if text and chunk_date([text], item.date) == item.date:
            paths.append(_relative(item.element, node))
    return paths
