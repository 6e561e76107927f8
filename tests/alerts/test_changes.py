from __future__ import annotations

from decimal import Decimal

from alerts.changes import diff_figures
from storage.models import Figure


def fig(start: int, metric: str, value: int, unit: str = "person", text: str = "") -> Figure:
    return Figure(
        start=start,
        end=start + 5,
        metric=metric,
        value=Decimal(value),
        unit=unit,
        qualifier="exact",
        text=text or f"{metric} {value}",
        source_id="s",
    )


def test_moved_and_reworded_figures_are_unchanged() -> None:
    old = [fig(10, "suspects_arrested", 1578), fig(40, "cases_filed", 300)]
    new = [fig(55, "suspects_arrested", 1578, text="抓获嫌疑人1578名"), fig(90, "cases_filed", 300)]
    assert diff_figures(old, new) == []


def test_added_removed_changed() -> None:
    old = [fig(10, "suspects_arrested", 1578), fig(40, "cases_filed", 300)]
    new = [fig(12, "suspects_arrested", 1600), fig(60, "gangs_dismantled", 12, "group")]
    changes = diff_figures(old, new)
    kinds = [(c.kind, c.figure.metric) for c in changes]
    assert kinds == [
        ("changed", "suspects_arrested"),
        ("added", "gangs_dismantled"),
        ("removed", "cases_filed"),
    ]
    changed = changes[0]
    assert changed.old is not None and changed.new is not None
    assert (changed.old.value, changed.new.value) == (1578, 1600)


def test_duplicate_figures_pair_once() -> None:
    old = [fig(1, "cases_filed", 3)]
    new = [fig(1, "cases_filed", 3), fig(20, "cases_filed", 3)]
    changes = diff_figures(old, new)
    assert [(c.kind, c.old) for c in changes] == [("added", None)]
