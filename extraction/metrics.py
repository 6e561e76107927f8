"""What a figure measures: the governing verb's class matched with the counted kind."""

from __future__ import annotations

from collections.abc import Iterable

from .vocabulary import KIND_METRICS, METRICS


def choose_metric(
    kind: str,
    own_verbs: Iterable[str],
    carried_verbs: Iterable[str],
    involved: bool = False,
) -> str:
    """Pick the metric for a figure of `kind`.

    own_verbs: verb classes of the figure's own clause, nearest first.
    carried_verbs: classes of earlier clauses of the sentence, nearest first; they
        govern an enumeration without verbs of its own (打掉团伙261个，平台55个), and
        yield to what the clause itself says, such as money marked as involved
        (涉案流水资金达300亿).
    involved: money is described as involved in the case (涉案, turnover).
    """
    own = list(own_verbs)
    for cls in own:
        metric = METRICS.get((cls, kind))
        if metric:
            return metric
    if kind in KIND_METRICS:
        return KIND_METRICS[kind]
    if kind == "money" and involved:
        return "funds_involved"
    if not own:
        for cls in carried_verbs:
            metric = METRICS.get((cls, kind))
            if metric:
                return metric
    return "other"
