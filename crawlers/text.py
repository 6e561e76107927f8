"""Main text of an article page, its normalized form, and its content hash.

The stored text keeps the page's own characters, one paragraph per line. The
hash is taken over a stricter form (Unicode NFKC, all whitespace collapsed), so
the same release served as GBK on one site and UTF-8 on another, or re-served in
a new layout, hashes the same.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import lxml.html
from lxml.etree import ParserError

BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "blockquote",
        "pre",
        "table",
        "ul",
        "ol",
        "dd",
        "dt",
        "header",
        "footer",
        "figure",
        "figcaption",
        "center",
    ]
)
SKIP_TAGS = frozenset(
    ["script", "style", "noscript", "template", "iframe", "svg", "button", "select"]
)
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u3000\u2002\u2003\u2009\u200b]+")
_ANY_SPACE = re.compile(r"\s+")


def clean_lines(lines: Iterable[str]) -> str:
    """Collapse runs of spaces in each line and drop empty lines."""
    out = []
    for line in lines:
        collapsed = _SPACE.sub(" ", line).strip()
        if collapsed:
            out.append(collapsed)
    return "\n".join(out)


def element_text(element: lxml.html.HtmlElement) -> str:
    """Text of an element with block elements on lines of their own."""
    parts: list[str] = []

    def walk(node: lxml.html.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in SKIP_TAGS:
            if node.tail:
                parts.append(node.tail)
            return
        block = tag in BLOCK_TAGS
        if block:
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(element)
    # The element's own tail is not part of it.
    if element.tail:
        parts.pop()
    return clean_lines("".join(parts).split("\n"))


def longest_text(elements: Iterable[Any]) -> str:
    """Text of the longest of several matched elements (TRS pages repeat their body div).

    Matches that are not elements (text nodes, attributes) count as their string.
    """
    best = ""
    for element in elements:
        text = (
            element_text(element)
            if hasattr(element, "tag")
            else clean_lines(str(element).split("\n"))
        )
        if len(text) > len(best):
            best = text
    return best


def html_fragments_text(fragments: Iterable[str]) -> str:
    """Text of the longest of several HTML fragments."""
    elements = []
    for fragment in fragments:
        try:
            elements.append(lxml.html.fragment_fromstring(fragment, create_parent="div"))
        except (ParserError, ValueError):
            continue
    return longest_text(elements)


def main_text_auto(html: str, url: str | None = None) -> str:
    """Find the main text of a page without a selector (trafilatura)."""
    import trafilatura

    text = trafilatura.extract(
        html,
        url=url,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        favor_precision=True,
        deduplicate=False,
    )
    if not text:
        text = trafilatura.extract(html, url=url, include_comments=False, favor_recall=True)
    return clean_lines((text or "").split("\n"))


_SCRIPT_OR_STYLE = re.compile(r"(?is)<(script|style)\b.*?</\1\s*>")
_TAG = re.compile(r"(?s)<[^>]+>")


def visible_text_length(html: str) -> int:
    """Characters of text a reader would see (scripts, styles and tags removed)."""
    text = _TAG.sub(" ", _SCRIPT_OR_STYLE.sub(" ", html))
    return len("".join(text.split()))


def normalize_for_hash(text: str) -> str:
    return _ANY_SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalize_for_hash(text).encode("utf-8")).hexdigest()


def looks_like_html(data: str) -> bool:
    head = data[:2000].lower()
    return "<html" in head or "<body" in head or "<div" in head or "<p>" in head
