"""Re-run a newer extractor over stored documents, one transaction per document.

A figure is kept when the new extractor finds the same span with the same reading;
otherwise the old one is removed and the new one stored, so the figure table always
holds one extractor version per document.  The report says what changed: figures
added, removed, and changed in place (same span, another value, unit, qualifier,
metric or direction), each with its old and new reading.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, or_, select

from extraction import extract_figures
from storage import articles
from storage.db import Database
from storage.models import Document, Figure

READING = ("value", "unit", "qualifier", "metric", "topic", "direction")


@dataclass
class FigureChange:
    document_id: int
    change: str  # added | removed | changed
    old: dict[str, Any] | None
    new: dict[str, Any] | None


@dataclass
class ReextractReport:
    version: int
    documents: int = 0
    documents_changed: int = 0
    added: int = 0
    removed: int = 0
    changed: int = 0
    unchanged: int = 0
    previous_versions: dict[str, int] = field(default_factory=dict)  # "1": documents
    changes: list[FigureChange] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _reading(fig: dict[str, Any] | Figure) -> dict[str, Any]:
    get = fig.get if isinstance(fig, dict) else lambda key: getattr(fig, key)
    out = {"text": get("text"), "start": get("start"), "end": get("end")}
    for key in READING:
        out[key] = get(key)
    value = Decimal(str(out["value"]))
    out["value"] = int(value) if value == value.to_integral_value() else float(value)
    return out


def _same(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return all(old[k] == new[k] for k in READING if k != "value") and abs(
        Decimal(str(old["value"])) - Decimal(str(new["value"]))
    ) < Decimal("0.000001")


def reextract_documents(db: Database, version: int, *, everything: bool = False) -> ReextractReport:
    report = ReextractReport(version=version)
    versions: Counter[str] = Counter()
    with db.session() as session:
        query = select(Document.id, Document.extractor_version).order_by(Document.id)
        if not everything:
            query = query.where(
                or_(Document.extractor_version.is_(None), Document.extractor_version < version)
            )
        rows = list(session.execute(query))
    for doc_id, previous in rows:
        with db.session() as session, session.begin():
            document = session.get(Document, doc_id)
            if document is None:
                continue
            new = [f.to_dict() for f in extract_figures(document.text, document.language)]
            old = articles.document_figures(session, doc_id)
            changes = _compare(doc_id, old, [_reading(f) for f in new])
            stale = [f.id for f in old if (f.start, f.end) in changes.replaced]
            if stale:
                session.execute(delete(Figure).where(Figure.id.in_(stale)))
                session.flush()
            articles.store_figures(session, document, new, version)
            session.execute(
                Figure.__table__.update()  # type: ignore[attr-defined]
                .where(Figure.document_id == doc_id)
                .values(extractor_version=version)
            )
            if new:
                document.topic = new[0]["topic"]
        versions[str(previous) if previous is not None else "none"] += 1
        report.documents += 1
        report.unchanged += changes.unchanged
        report.changes += changes.items
        if changes.items:
            report.documents_changed += 1
        for item in changes.items:
            setattr(report, item.change, getattr(report, item.change) + 1)
    report.previous_versions = dict(versions)
    return report


@dataclass
class _Comparison:
    items: list[FigureChange]
    replaced: set[tuple[int, int]]  # spans of old figures to delete
    unchanged: int


def _compare(doc_id: int, old: list[Figure], new: list[dict[str, Any]]) -> _Comparison:
    """Old and new figures paired by span: same span and reading is unchanged."""
    old_by_span = {(f.start, f.end): _reading(f) for f in old}
    new_by_span = {(f["start"], f["end"]): f for f in new}
    items: list[FigureChange] = []
    replaced: set[tuple[int, int]] = set()
    unchanged = 0
    for span in sorted(old_by_span.keys() | new_by_span.keys()):
        before, after = old_by_span.get(span), new_by_span.get(span)
        if before is not None and after is not None and _same(before, after):
            unchanged += 1
            continue
        if before is not None:
            replaced.add(span)
        change = "changed" if before and after else "added" if after else "removed"
        items.append(FigureChange(doc_id, change, before, after))
    return _Comparison(items, replaced, unchanged)
