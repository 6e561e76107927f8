"""Selectors as the config writes them: CSS by default, ``xpath:`` for XPath."""

from __future__ import annotations

from typing import Any, Protocol

from parsel import SelectorList


class Selectable(Protocol):
    """A parsel Selector, a SelectorList or a Scrapy TextResponse."""

    def css(self, query: str) -> Any: ...

    def xpath(self, query: str) -> Any: ...


def select(node: Selectable, expression: str) -> SelectorList[Any]:
    if expression.startswith("xpath:"):
        return node.xpath(expression.removeprefix("xpath:"))
    return node.css(expression)


def first_text(node: Selectable, expression: str | None) -> str | None:
    """The joined text of the first match (an element's own text, or an attribute)."""
    if not expression:
        return None
    matches = select(node, expression)
    if not matches:
        return None
    first = matches[0]
    if isinstance(first.root, str):
        value = first.root
    else:
        value = " ".join(t.strip() for t in first.xpath(".//text()").getall() if t.strip())
    value = " ".join(value.split())
    return value or None
