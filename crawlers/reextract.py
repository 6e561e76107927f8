"""Re-run a newer extractor over stored documents, one transaction per document.

A figure is kept when the new extractor finds the same span with the same
reading; otherwise the old one is removed and the new one stored, so the
figure table always holds one extractor version per document.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import delete, or_, select

from extraction import extract_figures
from storage import repository
from storage.db import Database
from storage.models import Document, Figure


@dataclass
class ReextractReport:
    documents: int = 0
    added: int = 0
    removed: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _key(fig: dict[str, Any] | Figure) -> tuple[Any, ...]:
    def get(key: str) -> Any:
        return fig[key] if isinstance(fig, dict) else getattr(fig, key)

    return (
        get("start"),
        get("end"),
        float(get("value")),
        get("unit"),
        get("qualifier"),
        get("metric"),
        get("topic"),
    )


def reextract_documents(db: Database, version: int, *, everything: bool = False) -> ReextractReport:
    report = ReextractReport()
    with db.session() as session:
        query = select(Document.id).order_by(Document.id)
        if not everything:
            query = query.where(
                or_(Document.extractor_version.is_(None), Document.extractor_version < version)
            )
        ids = list(session.scalars(query))
    for doc_id in ids:
        with db.session() as session, session.begin():
            document = session.get(Document, doc_id)
            if document is None:
                continue
            new = [f.to_dict() for f in extract_figures(document.text, document.language)]
            old = repository.document_figures(session, doc_id)
            new_keys = {_key(f) for f in new}
            stale = [f.id for f in old if _key(f) not in new_keys]
            kept = len(old) - len(stale)
            if stale:
                session.execute(delete(Figure).where(Figure.id.in_(stale)))
                session.flush()
            repository.store_figures(session, document, new, version)
            session.execute(
                Figure.__table__.update()  # type: ignore[attr-defined]
                .where(Figure.document_id == doc_id)
                .values(extractor_version=version)
            )
            if new:
                document.topic = new[0]["topic"]
            report.documents += 1
            report.removed += len(stale)
            report.unchanged += kept
            report.added += len(new) - kept
    return report
