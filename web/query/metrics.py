"""Which metrics exist: the extractor's vocabulary and what is stored, with counts.

Counting a million figures takes a while, so counts are kept until a figure is
added (the largest figure id changes) or for `COUNT_TTL` seconds at most.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from storage.models import Figure
from web.vocabulary import metric_names

COUNT_TTL = 300.0

# The distinct metrics through the metric index, one probe per name (a loose
# index scan), instead of reading every figure.
_DISTINCT = text(
    "WITH RECURSIVE m(name) AS ("
    " SELECT min(metric) FROM figures"
    " UNION ALL"
    " SELECT (SELECT min(metric) FROM figures WHERE metric > m.name) FROM m"
    " WHERE m.name IS NOT NULL"
    ") SELECT name FROM m WHERE name IS NOT NULL"
)


@dataclass(frozen=True)
class MetricInfo:
    name: str
    count: int
    in_vocabulary: bool


class MetricCatalog:
    """Per app: the stored metrics and their counts, cached against the data."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stored: tuple[int | None, float, tuple[str, ...]] | None = None
        self._counts: tuple[int | None, float, dict[str, int]] | None = None

    @staticmethod
    def _version(session: Session) -> int | None:
        return session.scalar(select(func.max(Figure.id)))

    def stored(self, session: Session) -> tuple[str, ...]:
        version = self._version(session)
        with self._lock:
            cached = self._stored
        if cached and cached[0] == version and time.monotonic() - cached[1] < COUNT_TTL:
            return cached[2]
        names = tuple(session.scalars(_DISTINCT).all())
        with self._lock:
            self._stored = (version, time.monotonic(), names)
        return names

    def known(self, session: Session) -> set[str]:
        """Every metric name a request may ask for."""
        return set(metric_names()) | set(self.stored(session))

    def counts(self, session: Session) -> dict[str, int]:
        version = self._version(session)
        with self._lock:
            cached = self._counts
        if cached and cached[0] == version and time.monotonic() - cached[1] < COUNT_TTL:
            return cached[2]
        counts = {
            name: int(n)
            for name, n in session.execute(
                select(Figure.metric, func.count(Figure.id)).group_by(Figure.metric)
            )
        }
        with self._lock:
            self._counts = (version, time.monotonic(), counts)
        return counts

    def choices(self, session: Session) -> list[tuple[str, bool]]:
        """Every metric name and whether any figure has it: stored ones first, for
        pickers (no counting, so a page with a picker stays fast)."""
        stored = set(self.stored(session))
        names = set(metric_names()) | stored
        return sorted(((n, n in stored) for n in names), key=lambda c: (not c[1], c[0]))

    def listing(self, session: Session) -> list[MetricInfo]:
        """The vocabulary and every stored metric, most figures first."""
        counts = self.counts(session)
        vocabulary = set(metric_names())
        names = vocabulary | set(counts)
        return sorted(
            (MetricInfo(n, counts.get(n, 0), n in vocabulary) for n in names),
            key=lambda m: (-m.count, m.name),
        )
