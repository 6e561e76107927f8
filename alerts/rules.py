"""Webhook rules: which figures (and events) a subscriber wants.

A figure passes when it passes every rule given (`alerts.config.RuleConfig`):

- sources: the figure's source id is listed;
- metrics: its metric is listed;
- topics: its topic (or, when it has none, its document's topic) is listed;
- keywords: one keyword occurs in the figure's text, the document's title or the
  document's text (Unicode NFKC, case-insensitive);
- min_value: its value is at least this.

An absent rule, or an empty list, lets everything through. Events that are not
about figures (`source.health` ...) are filtered by `sources` only.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from functools import cached_property

from alerts.config import RuleConfig
from storage.models import Document, Figure


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def source_passes(rules: RuleConfig, source_id: str | None) -> bool:
    """Whether an event of `source_id` (None: not about one source) passes `rules.sources`."""
    if not rules.sources or source_id is None:
        return True
    return source_id in rules.sources


class FigureRules:
    """The rules of one webhook applied to the figures of one document."""

    def __init__(self, rules: RuleConfig, document: Document) -> None:
        self.rules = rules
        self.document = document
        self._keywords = [normalize(k) for k in rules.keywords or () if k.strip()]
        self._min = Decimal(str(rules.min_value)) if rules.min_value is not None else None

    @cached_property
    def _document_matches_keyword(self) -> bool:
        haystack = normalize(f"{self.document.title or ''}\n{self.document.text or ''}")
        return any(k in haystack for k in self._keywords)

    def passes(self, figure: Figure) -> bool:
        rules = self.rules
        if rules.sources and (figure.source_id or self.document.source_id) not in rules.sources:
            return False
        if rules.metrics and figure.metric not in rules.metrics:
            return False
        if rules.topics and (figure.topic or self.document.topic) not in rules.topics:
            return False
        if self._min is not None and Decimal(figure.value) < self._min:
            return False
        if self._keywords:
            text = normalize(figure.text or "")
            if not any(k in text for k in self._keywords) and not self._document_matches_keyword:
                return False
        return True
