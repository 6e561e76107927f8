"""The extractor against the hand-checked gold figures, scored by the shared score.py."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from extraction import extract_figures

EVAL = Path(__file__).resolve().parents[1] / "fixtures" / "eval"
GOLD_FILES = sorted(EVAL.glob("*.gold.json"))
SEEDS = sorted(EVAL.glob("*.txt"))


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gold_score", EVAL / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCORER = _scorer()


def test_fixtures_present() -> None:
    assert len(GOLD_FILES) == 2
    assert len(SEEDS) == 5


@pytest.mark.parametrize("gold_path", GOLD_FILES, ids=lambda p: p.name.split("_")[0])
def test_gold_scores(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = (EVAL / gold["document"]).read_text(encoding="utf-8")
    preds = [f.to_dict() for f in extract_figures(text)]
    result = SCORER.score(gold, preds)
    report = json.dumps(result, ensure_ascii=False, indent=1)
    assert result["recall"] >= 0.95, report
    assert result["precision"] >= 0.95, report
    assert result["qualifier_accuracy"] >= 0.95, report
    assert result["metric_accuracy"] >= 0.85, report
    assert result["negatives_hit"] == [], report


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name.split("_")[0])
def test_spans_are_exact_on_seeds(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    figures = extract_figures(text)
    for fig in figures:
        assert text[fig.start : fig.end] == fig.text
        assert fig.value > 0
        d = fig.to_dict()
        assert list(d) == [
            "text", "start", "end", "value", "unit", "qualifier", "metric", "topic", "direction"
        ]
        assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert len({f.topic for f in figures}) <= 1
