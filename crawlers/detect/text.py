"""Text measures for detection: how long a title is, what a node's visible text is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_LATIN1 = re.compile(r"[\u00c0-\u00ff]")  # mojibake: UTF-8 bytes read as Latin-1
_WORD = re.compile(r"[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*")
_SPACE = re.compile(r"\s+")
CUT_MARKS = ("…", "...", "..", "。。。", "‥")
SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "select", "option", "textarea"])


def squash(text: str | None) -> str:
    return _SPACE.sub(" ", (text or "").replace("\u3000", " ").replace("\xa0", " ")).strip()


@lru_cache(maxsize=8192)
def title_units(text: str) -> float:
    """How long a title reads: a CJK character counts 1, a word 2, and a Latin-1
    mojibake character 0.4 (a Chinese character garbled into two or three)."""
    cjk = len(_CJK.findall(text))
    garbled = len(_LATIN1.findall(text))
    rest = _LATIN1.sub(" ", _CJK.sub(" ", text))
    return cjk + 0.4 * garbled + 2 * len(_WORD.findall(rest))


def is_cut(text: str) -> bool:
    return text.rstrip().endswith(CUT_MARKS)


def text_nodes(element: Any) -> Iterator[tuple[Any, str]]:
    """(owner element, text) for each visible text node under `element`, in order."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in SKIP_TAGS:
        return
    if element.text and tag:
        yield element, element.text
    for child in element:
        yield from text_nodes(child)
        if child.tail:
            yield element, child.tail


def visible_text(element: Any) -> str:
    return squash(" ".join(text for _owner, text in text_nodes(element)))
