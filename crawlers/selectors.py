"""Selectors as the config writes them: CSS by default, ``xpath:`` for XPath."""

from __future__ import annotations

from parsel import Selector, SelectorList


def select(node: Selector | SelectorList[Selector], expression: str) -> SelectorList[Selector]:
    if expression.startswith("xpath:"):
        return node.xpath(expression.removeprefix("xpath:"))
    return node.css(expression)


def first_text(node: Selector | SelectorList[Selector], expression: str | None) -> str | None:
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
