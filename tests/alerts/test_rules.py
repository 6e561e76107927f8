from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from alerts.config import RuleConfig
from alerts.rules import FigureRules, source_passes
from storage.models import Document, Figure


def figure(**values: Any) -> Figure:
    base: dict[str, Any] = {
        "text": "冻结涉案资金约27亿元",
        "start": 0,
        "end": 10,
        "value": Decimal(2700000000),
        "unit": "CNY",
        "qualifier": "about",
        "metric": "funds_seized_frozen",
        "topic": "gambling",
        "source_id": "jx-gat",
    }
    return Figure(**{**base, **values})


DOC = Document(
    source_id="jx-gat",
    title="江西公安打击跨境赌博",
    text="全省公安机关开展专项行动……",
    topic="gambling",
)

CASES = [
    ({}, {}, True),
    ({"sources": ["jx-gat"]}, {}, True),
    ({"sources": ["mps"]}, {}, False),
    ({"metrics": ["funds_seized_frozen"]}, {}, True),
    ({"metrics": ["suspects_arrested"]}, {}, False),
    ({"topics": ["gambling"]}, {}, True),
    ({"topics": ["fraud"]}, {}, False),
    ({"topics": ["gambling"]}, {"topic": None}, True),  # falls back to the document's topic
    ({"min_value": 100}, {}, True),
    ({"min_value": 3e9}, {}, False),
    ({"min_value": 2700000000}, {}, True),  # at least, inclusive
    ({"keywords": ["冻结"]}, {}, True),  # in the figure's text
    ({"keywords": ["跨境赌博"]}, {}, True),  # in the document's title
    ({"keywords": ["专项行动"]}, {}, True),  # in the document's text
    ({"keywords": ["电信诈骗"]}, {}, False),
    ({"keywords": ["ＣＮＹ", "Telecom"]}, {"text": "froze cny 2.7 billion"}, True),  # NFKC, case
    ({"metrics": ["funds_seized_frozen"], "min_value": 1e10}, {}, False),  # all must pass
    ({"metrics": []}, {}, True),  # an empty list is no rule
]


@pytest.mark.parametrize(("rules", "changes", "passes"), CASES)
def test_figure_rules(rules: dict[str, Any], changes: dict[str, Any], passes: bool) -> None:
    assert FigureRules(RuleConfig(**rules), DOC).passes(figure(**changes)) is passes


def test_source_rule_for_events() -> None:
    assert source_passes(RuleConfig(), "jx-gat")
    assert source_passes(RuleConfig(sources=["jx-gat"]), "jx-gat")
    assert not source_passes(RuleConfig(sources=["mps"]), "jx-gat")
    assert source_passes(RuleConfig(sources=["mps"]), None)  # not about one source
