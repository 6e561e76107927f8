"""The Figure value object: one statistical figure found in a document."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Figure:
    """A number with what it counts; `text == document[start:end]`.

    value: normalized (money in yuan or its currency, mass in kg, percent as percent)
    unit: person, case, group, platform, website, account, CNY, percent, kg, time, ...
    qualifier: exact | more_than | about | nearly | at_least | up_to | vague
    metric: cases_filed, suspects_arrested, ... or other (docs/metrics.md)
    topic: the document's topic, the same on all its figures
    direction: up or down for a change against an earlier period (同比下降12.5%), else None
    """

    text: str
    start: int
    end: int
    value: Decimal
    unit: str
    qualifier: str
    metric: str
    topic: str
    direction: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of DESIGN.md; value is an int when integral, else a float."""
        value: int | float = (
            int(self.value) if self.value == self.value.to_integral_value() else float(self.value)
        )
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": value,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "metric": self.metric,
            "topic": self.topic,
            "direction": self.direction,
        }


_new = object.__new__


def new_figure(
    text: str,
    start: int,
    end: int,
    value: Decimal,
    unit: str,
    qualifier: str,
    metric: str,
    topic: str,
    direction: str | None = None,
) -> Figure:
    """Figure(...), as the finders make one for every number: a frozen dataclass's
    __init__ sets each field through object.__setattr__, this fills the instance's
    dictionary at once, in the same order (the same object, nearly twice as fast)."""
    figure = _new(Figure)
    figure.__dict__.update(
        text=text, start=start, end=end, value=value, unit=unit, qualifier=qualifier,
        metric=metric, topic=topic, direction=direction,
    )  # fmt: skip
    return figure
