"""docs/metrics.md and the extractor's metric names are one vocabulary."""

from __future__ import annotations

import re
from pathlib import Path

from extraction import METRIC_NAMES
from extraction.vocabulary import KIND_METRICS, METRICS

DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"


def sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^### `([a-z_]+)`\n", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_documented_names_are_the_extractor_names() -> None:
    assert list(sections()) == list(METRIC_NAMES)
    assert len(set(METRIC_NAMES)) == len(METRIC_NAMES)


def test_every_metric_the_tables_give_is_documented() -> None:
    produced = set(METRICS.values()) | set(KIND_METRICS.values()) | {"other"}
    assert produced == set(METRIC_NAMES)


def test_each_entry_says_what_it_counts_triggers_examples_and_neighbours() -> None:
    for name, body in sections().items():
        assert body.strip().split("\n")[0], name  # what it counts
        for field in ("- Chinese:", "- English:", "- Examples:", "- Not"):
            assert field in body, (name, field)
        examples = body.split("- Examples:")[1].split("\n- ")[0]
        assert examples.count(";") >= 1, (name, "two examples")
