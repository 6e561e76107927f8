"""One release in full: its text, its figures with their offsets, where it was
seen, and its versions with what changed from one to the next."""

from __future__ import annotations

import difflib
import itertools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Document, Figure, Sighting, Source
from web.query.dates import site_date

MAX_VERSIONS = 50
MAX_TEXT_CHANGES = 30
CHANGE_EXCERPT = 300


def plain_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class VersionRef:
    id: int
    title: str
    published: date | None
    stored_at: datetime


@dataclass(frozen=True)
class Change:
    """What changed from version `older` to `newer`."""

    older: int
    newer: int
    text: list[dict[str, Any]]
    figures: list[dict[str, Any]]


@dataclass(frozen=True)
class DocumentDetail:
    id: int
    title: str
    source: str
    source_name: str | None
    region: str | None
    published_at: datetime | None
    published: date | None
    language: str
    topic: str | None
    content_hash: str
    stored_at: datetime
    text: str
    figures: list[Figure]
    sightings: list[Sighting]
    versions: list[VersionRef]
    changes: list[Change]


def _versions(session: Session, document: Document) -> list[Document]:
    """The chain of versions `document` belongs to, oldest first."""
    chain = {document.id: document}
    older = document
    while older.previous_id is not None and len(chain) < MAX_VERSIONS:
        found = session.get(Document, older.previous_id)
        if found is None or found.id in chain:
            break
        chain[found.id] = older = found
    frontier = [document.id]
    while frontier and len(chain) < MAX_VERSIONS:
        newer = session.scalars(
            select(Document).where(Document.previous_id.in_(frontier)).order_by(Document.id)
        ).all()
        frontier = [d.id for d in newer if d.id not in chain]
        chain.update({d.id: d for d in newer})
    return sorted(chain.values(), key=lambda d: (d.created_at, d.id))


def _text_changes(old: str, new: str) -> list[dict[str, Any]]:
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    changes = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        changes.append(
            {
                "op": op,
                "old": "\n".join(old_lines[i1:i2])[:CHANGE_EXCERPT],
                "new": "\n".join(new_lines[j1:j2])[:CHANGE_EXCERPT],
            }
        )
    return changes[:MAX_TEXT_CHANGES]


def _figure_changes(old: list[Figure], new: list[Figure]) -> list[dict[str, Any]]:
    """Figures paired by metric and unit in text order: the n-th of a kind in the
    older version against the n-th in the newer."""

    def by_kind(figures: list[Figure]) -> dict[tuple[str, str], list[Figure]]:
        kinds: dict[tuple[str, str], list[Figure]] = defaultdict(list)
        for fig in sorted(figures, key=lambda f: f.start):
            kinds[(fig.metric, fig.unit)].append(fig)
        return kinds

    before, after = by_kind(old), by_kind(new)
    changes = []
    for kind in sorted(set(before) | set(after)):
        olds, news = before.get(kind, []), after.get(kind, [])
        for index in range(max(len(olds), len(news))):
            a = olds[index] if index < len(olds) else None
            b = news[index] if index < len(news) else None
            if a is not None and b is not None and a.value == b.value:
                continue
            changes.append(
                {
                    "change": "added" if a is None else "removed" if b is None else "changed",
                    "metric": kind[0],
                    "unit": kind[1],
                    "old": plain_number(a.value) if a is not None else None,
                    "new": plain_number(b.value) if b is not None else None,
                    "old_text": a.text if a is not None else None,
                    "new_text": b.text if b is not None else None,
                }
            )
    return changes


def _figures(session: Session, document_id: int) -> list[Figure]:
    return list(
        session.scalars(
            select(Figure).where(Figure.document_id == document_id).order_by(Figure.start)
        )
    )


def get_document(session: Session, document_id: int, tz: str) -> DocumentDetail | None:
    document = session.get(Document, document_id)
    if document is None:
        return None
    source = session.get(Source, document.source_id)
    chain = _versions(session, document)
    changes = []
    figures_of = {d.id: _figures(session, d.id) for d in chain} if len(chain) > 1 else {}
    for older, newer in itertools.pairwise(chain):
        changes.append(
            Change(
                older=older.id,
                newer=newer.id,
                text=_text_changes(older.text, newer.text),
                figures=_figure_changes(figures_of[older.id], figures_of[newer.id]),
            )
        )
    return DocumentDetail(
        id=document.id,
        title=document.title,
        source=document.source_id,
        source_name=source.name if source is not None else None,
        region=source.region if source is not None else None,
        published_at=document.published_at,
        published=site_date(document.published_at, tz),
        language=document.language,
        topic=document.topic,
        content_hash=document.content_hash,
        stored_at=document.created_at,
        text=document.text,
        figures=figures_of.get(document.id) or _figures(session, document.id),
        sightings=list(document.sightings),
        versions=[
            VersionRef(d.id, d.title, site_date(d.published_at, tz), d.created_at) for d in chain
        ],
        changes=changes,
    )
