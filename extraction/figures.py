"""extract_figures: every statistical figure of one document, Chinese or English."""

from __future__ import annotations

from . import chinese, english
from .model import Figure
from .text import Doc, language_code
from .topic import detect_topic


def extract_figures(text: str, language: str | None = None) -> list[Figure]:
    """The figures of `text`, in document order.

    language: "zh" or "en" reads the whole text in that language; None detects the
    language of each paragraph from its share of CJK characters, so a bilingual
    release is read paragraph by paragraph.
    """
    doc = Doc(text, language_code(language), detect_topic(text))
    languages = set(doc.layout.paragraph_langs)
    figures = chinese.find_figures(doc) if "zh" in languages else []
    if "en" in languages:
        figures += english.find_figures(doc)
    figures.sort(key=lambda f: (f.start, f.end))
    return figures
