"""Template helpers: labels, numbers, dates and text cut into marked segments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi.templating import Jinja2Templates

from storage.models import Figure
from web import labels
from web.query.detail import plain_number
from web.query.search import Passage

TEMPLATES_DIR = Path(__file__).parent / "templates"


def number(value: int | float | Decimal | None) -> str:
    if value is None:
        return "—"
    value = plain_number(value) if isinstance(value, Decimal) else value
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}"


def chinese_scale(value: int | float | Decimal | None) -> str:
    """27亿, 350万: how bulletins write large numbers (empty below 10,000)."""
    if value is None:
        return ""
    amount = float(value)
    for size, word in ((1e8, "亿"), (1e4, "万")):
        if abs(amount) >= size:
            return f"{amount / size:,.2f}".rstrip("0").rstrip(".") + word
    return ""


def figure_tip(fig: Figure) -> str:
    scaled = chinese_scale(fig.value)
    value = number(fig.value) + (f"（{scaled}）" if scaled else "")
    return (
        f"数值 {value} · 单位 {labels.unit(fig.unit)} ({fig.unit}) · "
        f"限定 {labels.qualifier(fig.qualifier)} ({fig.qualifier}) · "
        f"指标 {labels.metric(fig.metric)} ({fig.metric})"
    )


def text_segments(text: str, figures: Sequence[Figure]) -> list[tuple[str, Figure | None]]:
    """`text` cut at the figures' spans, in order; overlapping spans keep the first."""
    segments: list[tuple[str, Figure | None]] = []
    at = 0
    for fig in sorted(figures, key=lambda f: (f.start, f.end)):
        if fig.start < at or fig.end > len(text) or fig.start >= fig.end:
            continue
        if fig.start > at:
            segments.append((text[at : fig.start], None))
        segments.append((text[fig.start : fig.end], fig))
        at = fig.end
    if at < len(text):
        segments.append((text[at:], None))
    return segments


def passage_segments(passage: Passage | None) -> list[tuple[str, bool]]:
    if passage is None:
        return []
    segments: list[tuple[str, bool]] = []
    at = 0
    for start, end in passage.marks:
        if start < at:
            continue
        segments.append((passage.text[at:start], False))
        segments.append((passage.text[start:end], True))
        at = end
    segments.append((passage.text[at:], False))
    return [s for s in segments if s[0]]


def query_string(params: dict[str, Any], **changes: Any) -> str:
    """`params` with `changes` applied (None removes a key), as a query string."""
    merged = {**params, **changes}
    clean = {k: v for k, v in merged.items() if v not in (None, "", [], ())}
    return urlencode(clean, doseq=True)


def make_templates(tz: str) -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    zone = ZoneInfo(tz)

    def day(value: date | datetime | None) -> str:
        if value is None:
            return "日期不详"
        if isinstance(value, datetime):
            return value.astimezone(zone).strftime("%Y-%m-%d")
        return value.isoformat()

    def moment(value: datetime | None) -> str:
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else "—"

    env.filters.update(
        number=number,
        scale=chinese_scale,
        day=day,
        moment=moment,
        metric_label=labels.metric,
        unit_label=labels.unit,
        qualifier_label=labels.qualifier,
        region_label=labels.region,
        result_label=labels.run_result,
        topic_label=labels.topic,
        tip=figure_tip,
    )
    env.globals.update(
        text_segments=text_segments, passage_segments=passage_segments, qs=query_string, tz=tz
    )
    return templates
