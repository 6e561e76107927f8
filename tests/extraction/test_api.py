"""The public surface: Figure, to_dict, EXTRACTOR_VERSION, the language argument."""

from __future__ import annotations

import dataclasses
import doctest
import json
from decimal import Decimal

import pytest

import extraction
from extraction import EXTRACTOR_VERSION, Figure, extract_figures, numbers
from extraction.model import new_figure


def test_exports() -> None:
    assert set(extraction.__all__) == {
        "EXTRACTOR_VERSION", "MAX_TEXT_CHARS", "METRIC_NAMES", "Figure", "Numeral",
        "detect_topic", "extract_figures", "parse_number", "parse_numeral",
    }
    assert isinstance(EXTRACTOR_VERSION, int) and EXTRACTOR_VERSION >= 1


def test_new_figure_is_the_dataclass_built_faster() -> None:
    fields = {
        "text": "抓获18名", "start": 3, "end": 8, "value": Decimal(18), "unit": "person",
        "qualifier": "exact", "metric": "suspects_arrested", "topic": "fraud", "direction": "up",
    }  # fmt: skip
    built, made = new_figure(**fields), Figure(**fields)
    assert built == made and hash(built) == hash(made) and repr(built) == repr(made)
    assert list(vars(built).items()) == list(vars(made).items())
    assert [f.name for f in dataclasses.fields(Figure)] == list(fields)  # no field forgotten
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.value = Decimal(1)  # type: ignore[misc]


def test_figure_is_frozen_and_serializes() -> None:
    text = "冻结涉案资金约27亿元，缴获冰毒12.5公斤。"
    money, drugs = extract_figures(text)
    assert isinstance(money, Figure) and isinstance(money.value, Decimal)
    with pytest.raises(dataclasses.FrozenInstanceError):
        money.value = Decimal(1)  # type: ignore[misc]
    d = money.to_dict()
    assert d == {
        "text": "冻结涉案资金约27亿元", "start": 0, "end": 11, "value": 2700000000,
        "unit": "CNY", "qualifier": "about", "metric": "funds_seized_frozen", "topic": "drugs",
        "direction": None,
    }
    assert isinstance(d["value"], int)
    assert drugs.to_dict()["value"] == 12.5 and isinstance(drugs.to_dict()["value"], float)
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d


@pytest.mark.parametrize("language", [None, "zh", "zh-CN", "ZH"])
def test_language_argument_chinese(language: str | None) -> None:
    assert [f.value for f in extract_figures("抓获犯罪嫌疑人18名。", language)] == [18]


def test_forced_language_reads_every_paragraph_that_way() -> None:
    assert extract_figures("抓获犯罪嫌疑人18名。", "en") == []
    assert [f.value for f in extract_figures("Police arrested 18 suspects.", "en")] == [18]


def test_bilingual_document_is_read_paragraph_by_paragraph() -> None:
    text = "抓获犯罪嫌疑人18名。\nPolice also arrested 25 suspects.\n冻结资金350万元。"
    figures = extract_figures(text)
    assert [(f.value, f.unit) for f in figures] == [
        (18, "person"), (25, "person"), (3500000, "CNY"),
    ]
    assert all(text[f.start : f.end] == f.text for f in figures)


def test_empty_and_figureless_text() -> None:
    assert extract_figures("") == []
    assert extract_figures("\n\n  ") == []
    assert extract_figures("没有数字的通报。") == []


@pytest.mark.parametrize("module", [extraction, numbers], ids=lambda m: m.__name__)
def test_docstring_examples(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]
