"""All gold figures (the shared ones and ours), scored with the shared score.py, micro-averaged."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from extraction import extract_figures

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EVAL = FIXTURES / "eval"  # a copy of ../shared/eval and ../shared/seeds
OURS = FIXTURES / "gold"
SHARED_GOLD = sorted(EVAL.glob("*.gold.json"))
OUR_GOLD = sorted(OURS.glob("*.gold.json"))
ALL_GOLD = SHARED_GOLD + OUR_GOLD


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gold_score", EVAL / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCORER = _scorer()


def load(gold_path: Path) -> tuple[dict[str, Any], str]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text_path = gold_path.parent / gold["document"]
    if not text_path.exists():
        text_path = EVAL / gold["document"]
    return gold, text_path.read_text(encoding="utf-8")


def predict(text: str) -> list[dict[str, Any]]:
    return [f.to_dict() for f in extract_figures(text)]


@dataclass
class Totals:
    required: int = 0
    true_positives: int = 0
    false_positives: int = 0
    qualifier_right: int = 0
    metric_right: int = 0
    metric_pairs: int = 0
    direction_right: int = 0
    direction_pairs: int = 0
    reports: list[dict[str, Any]] = field(default_factory=list)

    def add(self, gold: dict[str, Any], preds: list[dict[str, Any]]) -> None:
        result = SCORER.score(gold, preds)
        tp = result["true_positives"]
        self.required += result["required"]
        self.true_positives += tp
        self.false_positives += result["false_positives"]
        self.qualifier_right += round(result["qualifier_accuracy"] * tp)
        pairs = _pairs(gold, preds)
        with_metric = [(g, p) for g, p in pairs if g.get("metric")]
        self.metric_pairs += len(with_metric)
        self.metric_right += sum(g["metric"] == p["metric"] for g, p in with_metric)
        self.direction_pairs += len(pairs)
        self.direction_right += sum(g.get("direction") == p.get("direction") for g, p in pairs)
        result["wrong_metric"] = [
            (g["text"], g["metric"], p["metric"])
            for g, p in with_metric
            if g["metric"] != p["metric"]
        ]
        result["wrong_qualifier"] = [
            (g["text"], g["qualifier"], p["qualifier"]) for g, p in pairs
            if g["qualifier"] != p["qualifier"]
        ]
        self.reports.append(result)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.required if self.required else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "qualifier": round(self.qualifier_right / max(self.true_positives, 1), 4),
            "metric": round(self.metric_right / max(self.metric_pairs, 1), 4),
            "direction": round(self.direction_right / max(self.direction_pairs, 1), 4),
        }


def _pairs(gold: dict[str, Any], preds: list[dict[str, Any]]) -> list[tuple[dict, dict]]:
    """The required gold figures and the predictions score.py paired them with."""
    pairs = []
    used: set[int] = set()
    golds = sorted(gold["figures"], key=lambda g: bool(g.get("optional")))
    for g in golds:
        gv, gf = SCORER.norm_value(g), SCORER.family(g["unit"])
        best = None
        for i, p in enumerate(preds):
            pv = SCORER.norm_value(p)
            if i in used or pv is None or SCORER.family(p.get("unit")) != gf:
                continue
            if not SCORER.same(pv, gv):
                continue
            overlap = bool(p.get("text")) and (p["text"] in g["text"] or g["text"] in p["text"])
            if best is None or overlap:
                best = i
                if overlap:
                    break
        if best is not None:
            used.add(best)
            if not g.get("optional"):
                pairs.append((g, preds[best]))
    return pairs


def score_all(paths: list[Path] = ALL_GOLD) -> Totals:
    totals = Totals()
    for path in paths:
        gold, text = load(path)
        totals.add(gold, predict(text))
    return totals


if __name__ == "__main__":
    totals = score_all()
    for r in totals.reports:
        print(json.dumps({k: r[k] for k in ("document", "f1", "missed", "false_positive_texts",
                                             "negatives_hit", "wrong_metric", "wrong_qualifier")},
                         ensure_ascii=False))
    print(totals.summary())
