"""What a figure measures: the governing verb's class matched with the counted kind."""

from __future__ import annotations

from collections.abc import Iterable

from .vocabulary import KIND_METRICS, METRICS

# The whole metric vocabulary, in the order of docs/metrics.md (a test keeps the two
# equal, and every metric the tables can give is here).
METRIC_NAMES: tuple[str, ...] = (
    "cases_reported", "cases_filed", "cases_investigated", "cases_prosecuted",
    "suspects_arrested", "suspects_detained", "fugitives_captured", "suspects_handed_over",
    "persons_intercepted", "persons_identified", "persons_screened", "people_dissuaded",
    "persons_punished", "gamblers_punished", "persons_prosecuted", "persons_sentenced",
    "persons_rescued", "persons_repatriated",
    "gangs_dismantled", "platforms_dismantled", "dens_dismantled", "websites_blocked",
    "websites_handled",
    "accounts_handled", "accounts_screened", "funds_seized_frozen", "funds_recovered",
    "funds_involved", "fines_imposed", "items_seized", "drugs_seized",
    "messages_blocked", "messages_handled", "calls_blocked", "leads_handled",
    "inspections_conducted", "penalties_imposed",
    "other",
)  # fmt: skip


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
    metric = verb_metric(kind, own)
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


def verb_metric(kind: str, verbs: Iterable[str]) -> str | None:
    """The metric of the first of the verb classes `verbs` that has one for `kind`: what
    choose_metric returns whenever one of its own verbs has one."""
    for cls in verbs:
        metric = METRICS.get((cls, kind))
        if metric:
            return metric
    return None
