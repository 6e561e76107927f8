"""Shared helpers for the extraction tests."""

from __future__ import annotations

from extraction import extract_figures

Row = tuple[int | float, str, str, str]


def rows(text: str, language: str | None = None) -> list[Row]:
    """(value, unit, qualifier, metric) of each figure, checking its span on the way."""
    out = []
    for fig in extract_figures(text, language):
        assert text[fig.start : fig.end] == fig.text
        d = fig.to_dict()
        out.append((d["value"], d["unit"], d["qualifier"], d["metric"]))
    return out
