"""Noise of machine-translated and scraped bulletins: glued numbers, stray markup,
shared units in 、 lists, ranges."""

from __future__ import annotations

import pytest

from .helpers import Row, rows

CASES: list[tuple[str, list[Row]]] = [
    # numbers glued to the noun before them
    ("Police arrested criminal suspects780,000.", [
        (780000, "person", "exact", "suspects_arrested"),
    ]),
    # stray markdown markup
    ("worked with relevant departments to intercept fraud**27500 million times, and", [
        (27500000000, "time", "exact", "other"),
    ]),
    ("disposing of the domain name involved in the case**60360,000, and", [
        (60360000, "domain", "exact", "websites_handled"),
    ]),
    # irregular grouping of a translated 万 figure
    ("the public security organs conducted a total of 21050,000 administrative penalties.", [
        (21050000, "penalty", "exact", "penalties_imposed"),
    ]),
    # 、 lists sharing one verb and one unit
    ("查扣、冻结涉案资金约27亿元。", [(2700000000, "CNY", "about", "funds_seized_frozen")]),
    ("扣押手机、电脑等作案工具300余件。", [(300, "item", "more_than", "items_seized")]),
    # ranges: lower bound, at least
    ("涉案人员10-20人。", [(10, "person", "at_least", "other")]),
    ("Police arrested 10-20 suspects.", [(10, "person", "at_least", "suspects_arrested")]),
    # full-width digits and ideographic spaces
    ("抓获犯罪嫌疑人１，５７８名。", [(1578, "person", "exact", "suspects_detained")]),
    # thin-space thousands
    ("Police arrested 13\u2009600 suspects.", [(13600, "person", "exact", "suspects_arrested")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:24] for c in CASES])
def test_noisy_text(text: str, expected: list[Row]) -> None:
    assert rows(text) == expected
