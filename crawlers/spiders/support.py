"""Small helpers shared by the family spiders (`f1`, `trs`, `hanweb`, ...)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from parsel import Selector
from scrapy.http import Response, TextResponse

from crawlers.items import ListingEntry
from crawlers.selectors import first_text
from crawlers.sources.schema import ListConfig

SKIPPED_HREFS = ("javascript:", "#", "mailto:", "tel:")


def outermost(nodes: Iterable[Selector]) -> list[Selector]:
    """The nodes that lie inside no other of them: a broad selector (``.list ul li``)
    also matches the entries of a list nested in each entry (a "related" pop-up)."""
    selected = list(nodes)
    members = {id(n.root) for n in selected if not isinstance(n.root, str)}
    kept = []
    for node in selected:
        root = node.root
        inside = not isinstance(root, str) and any(
            id(ancestor) in members for ancestor in root.iterancestors()
        )
        if not inside:
            kept.append(node)
    return kept


def entries_from(
    nodes: Iterable[Selector], spec: ListConfig, urljoin: Callable[[str], str]
) -> list[ListingEntry]:
    """Listing entries from item nodes, read with the source's link/title/date selectors.

    Entries nested in other entries are dropped (see `outermost`), and so are
    duplicate links (Hanweb pages carry the same list twice, for PC and mobile) and
    links that lead nowhere (``javascript:``, ``#``).
    """
    entries: list[ListingEntry] = []
    seen: set[str] = set()
    for node in outermost(nodes):
        href = first_text(node, spec.link)
        if not href or href.strip().lower().startswith(SKIPPED_HREFS):
            continue
        url = urljoin(href.strip())
        if not url.startswith(("http://", "https://")) or url in seen:
            continue
        seen.add(url)
        entries.append(ListingEntry(url, first_text(node, spec.title), first_text(node, spec.date)))
    return entries


def response_meta(response: Response, key: str, default: Any = None) -> Any:
    """`response.meta[key]`, also for a response built without a request (tests)."""
    try:
        return response.meta.get(key, default)
    except AttributeError:
        return default


def is_json(response: Response) -> bool:
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
    if "json" in content_type:
        return True
    if isinstance(response, TextResponse):
        head = response.text.lstrip()[:1]
        return head in ("{", "[")
    return False
