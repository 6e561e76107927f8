"""What changed between the figures of two versions of a release.

Offsets move when a release is edited, so figures are paired by meaning, not by
position. In each version's text order:

1. a figure with the same metric, unit, value and qualifier as one of the old
   version is unchanged (whatever its wording);
2. of the rest, figures with the same metric and unit are paired in order: each
   pair is a change from the old value to the new;
3. what is left is added (only in the new version) or removed (only in the old).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from storage.models import Figure

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class FigureChange:
    kind: ChangeKind
    old: Figure | None
    new: Figure | None

    @property
    def figure(self) -> Figure:
        """The figure the change is about: the new one, or the old one if removed."""
        chosen = self.new if self.new is not None else self.old
        assert chosen is not None
        return chosen


def _same(figure: Figure) -> tuple[str, str, Decimal, str]:
    return (figure.metric, figure.unit, Decimal(figure.value).normalize(), figure.qualifier)


def diff_figures(old: Sequence[Figure], new: Sequence[Figure]) -> list[FigureChange]:
    """The figures added, removed or changed from `old` to `new`, in the new text's order."""
    old_sorted = sorted(old, key=lambda f: (f.start, f.end))
    new_sorted = sorted(new, key=lambda f: (f.start, f.end))

    unchanged: dict[tuple[str, str, Decimal, str], list[Figure]] = defaultdict(list)
    for figure in old_sorted:
        unchanged[_same(figure)].append(figure)
    old_left: list[Figure] = []
    new_left: list[Figure] = []
    matched_old: set[int] = set()
    for figure in new_sorted:
        bucket = unchanged.get(_same(figure))
        if bucket:
            matched_old.add(id(bucket.pop(0)))
        else:
            new_left.append(figure)
    old_left = [f for f in old_sorted if id(f) not in matched_old]

    by_kind: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for figure in old_left:
        by_kind[(figure.metric, figure.unit)].append(figure)
    changes: list[FigureChange] = []
    for figure in new_left:
        bucket = by_kind.get((figure.metric, figure.unit))
        if bucket:
            changes.append(FigureChange("changed", bucket.pop(0), figure))
        else:
            changes.append(FigureChange("added", None, figure))
    for bucket in by_kind.values():
        changes.extend(FigureChange("removed", figure, None) for figure in bucket)
    return changes
