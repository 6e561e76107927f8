"""extract_figures: every statistical figure of one document, Chinese or English."""

from __future__ import annotations

import logging
from operator import attrgetter

from . import chinese, english
from .model import Figure
from .text import Doc, language_code

log = logging.getLogger(__name__)
_START_END = attrgetter("start", "end")

# Figures are read from at most this many characters of a document: a bulletin is
# 2-50 thousand; a longer text is a flattened table or a page gone wrong, and a cap
# bounds what one document can cost (about a second per million characters).
MAX_TEXT_CHARS = 1_000_000


def extract_figures(
    text: str, language: str | None = None, max_chars: int = MAX_TEXT_CHARS
) -> list[Figure]:
    """The figures of `text`, in document order.

    language: "zh" or "en" reads the whole text in that language; None detects the
    language of each paragraph from its share of CJK characters, so a bilingual
    release is read paragraph by paragraph.
    max_chars: figures are read from the first `max_chars` characters only (cut at a
    line break or space where there is one near), and a warning says so.
    """
    if len(text) > max_chars:
        cut = capped_length(text, max_chars)
        log.warning(
            "text of %d characters: figures read from the first %d only", len(text), cut
        )
        text = text[:cut]
    return find_figures(Doc(text, language_code(language)))


def capped_length(text: str, max_chars: int) -> int:
    """Where to cut `text` to at most `max_chars`: at the last line break (else space)
    in the last tenth, else at `max_chars`, moved back off a number it would split."""
    if len(text) <= max_chars:
        return len(text)
    floor = max_chars - max_chars // 10
    for mark in ("\n", " ", "。", "，"):
        at = text.rfind(mark, floor, max_chars)
        if at > 0:
            return at + 1
    cut = max_chars
    while cut > floor and text[cut - 1].isalnum() and text[cut].isalnum():
        cut -= 1
    return cut


def find_figures(doc: Doc) -> list[Figure]:
    """The figures of a prepared document (the Doc keeps count of the work done)."""
    languages = set(doc.layout.paragraph_langs)
    figures = chinese.find_figures(doc) if "zh" in languages else []
    if "en" in languages:
        figures += english.find_figures(doc)
    figures.sort(key=_START_END)
    return figures
