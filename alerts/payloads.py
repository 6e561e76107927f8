"""The standard payload of an alert, built once at enqueue time and stored on the row.

Every payload is ``{"type": ..., "timestamp": ISO 8601, "data": {...}}`` as the
Standard Webhooks spec suggests. For ``bulletin.figures``, data is::

    {
      "kind": "new" | "revised",
      "document": {"id", "source", "title", "url", "published_at", "language", "topic"},
      "figures": [figure, ...],         # the document's figures that passed the rules
      "previous": [                     # per metric of those figures: the last earlier
        {"metric", "value", "unit", "qualifier", "text",  # figure of that metric from
         "document_id", "title", "url", "published_at"},  # the same source, if any
      ],
      "revision_of": null | {"document_id": id},
      "changes": null | [               # revised releases only: what passed the rules
        {"change": "added" | "removed" | "changed", "metric": str, "unit": str,
         "old": figure | null, "new": figure | null},
      ]
    }

A figure is the object of `figures list --json`: ``{"id", "text", "start", "end",
"value", "unit", "qualifier", "metric", "topic"}``; values are plain JSON numbers.
Chat formats are rendered from this payload at send time (`alerts.formats`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from alerts.changes import FigureChange
from storage.models import Document, Figure

FIGURES_EVENT = "bulletin.figures"
TEST_EVENT = "bulletin.test"


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def number(value: Decimal | float | int) -> int | float:
    """A stored value as a plain JSON number (an int when it is whole)."""
    dec = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if dec == dec.to_integral_value():
        return int(dec)
    return float(dec)


def figure_dict(figure: Figure) -> dict[str, Any]:
    return {
        "id": figure.id,
        "text": figure.text,
        "start": figure.start,
        "end": figure.end,
        "value": number(figure.value),
        "unit": figure.unit,
        "qualifier": figure.qualifier,
        "metric": figure.metric,
        "topic": figure.topic,
    }


def document_dict(document: Document) -> dict[str, Any]:
    return {
        "id": document.id,
        "source": document.source_id,
        "title": document.title,
        "url": document.url,
        "published_at": iso(document.published_at),
        "language": document.language,
        "topic": document.topic,
    }


def previous_dict(figure: Figure, document: Document) -> dict[str, Any]:
    return {
        "metric": figure.metric,
        "value": number(figure.value),
        "unit": figure.unit,
        "qualifier": figure.qualifier,
        "text": figure.text,
        "document_id": document.id,
        "title": document.title,
        "url": document.url,
        "published_at": iso(document.published_at),
    }


def change_dict(change: FigureChange) -> dict[str, Any]:
    figure = change.figure
    return {
        "change": change.kind,
        "metric": figure.metric,
        "unit": figure.unit,
        "old": figure_dict(change.old) if change.old is not None else None,
        "new": figure_dict(change.new) if change.new is not None else None,
    }


def envelope(event_type: str, data: Mapping[str, Any], timestamp: datetime) -> dict[str, Any]:
    return {"type": event_type, "timestamp": iso(timestamp), "data": dict(data)}


def document_payload(
    document: Document,
    figures: Sequence[Figure],
    previous: Sequence[dict[str, Any]],
    *,
    timestamp: datetime,
    changes: Sequence[FigureChange] | None = None,
) -> dict[str, Any]:
    revised = changes is not None
    data = {
        "kind": "revised" if revised else "new",
        "document": document_dict(document),
        "figures": [figure_dict(f) for f in figures],
        "previous": list(previous),
        "revision_of": {"document_id": document.previous_id} if revised else None,
        "changes": [change_dict(c) for c in changes] if changes is not None else None,
    }
    return envelope(FIGURES_EVENT, data, timestamp)


def sample_payload(webhook_id: str, timestamp: datetime) -> dict[str, Any]:
    """A sample alert for `alerts test`: the shape of a real one, marked as a test."""
    return envelope(
        TEST_EVENT,
        {
            "message": f"Test alert from Bulletin Watch to webhook {webhook_id!r}.",
            "webhook": webhook_id,
            "document": {
                "id": 0,
                "source": "example",
                "title": "示例通报 / Sample bulletin",
                "url": "https://example.org/bulletin.html",
                "published_at": iso(timestamp),
                "language": "zh",
                "topic": "gambling",
            },
            "figures": [
                {
                    "id": 0,
                    "text": "冻结涉案资金约27亿元",
                    "start": 312,
                    "end": 323,
                    "value": 2700000000,
                    "unit": "CNY",
                    "qualifier": "about",
                    "metric": "funds_seized_frozen",
                    "topic": "gambling",
                }
            ],
            "previous": [],
        },
        timestamp,
    )


def dumps(payload: Mapping[str, Any]) -> bytes:
    """The exact bytes sent (and signed): compact UTF-8 JSON."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str).encode()
