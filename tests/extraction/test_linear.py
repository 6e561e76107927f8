"""D8 (probe 2026-12): extraction was quadratic in sentence length.

The work done around each number (verbs and nouns looked up in its clause and
sentence) is counted by the document (`Doc.lookups`).  Linear extraction does four
times the work on a text four times as long; the old extractor did sixteen times (it
collected every verb of the sentence before each number).  Counting work, not time,
keeps the test exact on a busy machine; bench/bench_extraction.py times a 1 MB text.
"""

from __future__ import annotations

import logging

import pytest

from extraction import extract_figures
from extraction.figures import MAX_TEXT_CHARS, capped_length, find_figures
from extraction.text import Doc
from extraction.topic import detect_topic

RUN_ONS = {
    "en, commas": "police arrested 27 suspects, ",
    "en, no punctuation": "police arrested 27 suspects and seized 3 guns and ",
    "en, semicolons": "officers detained 12 people; froze 4,000 yuan; ",
    "zh, commas": "冻结涉案资金约27亿元，",
    "zh, no punctuation": "抓获犯罪嫌疑人18名打掉团伙3个",
    "zh, enumeration": "打掉团伙261个、平台55个、",
    "zh, Traditional": "抓獲犯罪嫌疑人2.9萬餘人，",
    "table flattened": "336起 1578人 27亿元 ",
}
SMALL, LARGE = 400, 1600


def work(text: str) -> tuple[int, int]:
    doc = Doc(text, None, detect_topic(text))
    figures = find_figures(doc)
    return doc.lookups, len(figures)


@pytest.mark.parametrize("unit", RUN_ONS.values(), ids=list(RUN_ONS))
def test_work_grows_linearly(unit: str) -> None:
    small_work, small_figures = work(unit * SMALL)
    large_work, large_figures = work(unit * LARGE)
    ratio = LARGE // SMALL
    assert large_figures == ratio * small_figures  # the same figures, just more of them
    # Linear: four times the text, four times the work (quadratic would be sixteen).
    assert large_work <= ratio * small_work * 1.1 + 50, (small_work, large_work)


def test_every_figure_of_a_run_on_sentence_is_found() -> None:
    figures = extract_figures("police arrested 27 suspects, " * 1000)
    assert len(figures) == 1000
    assert {(f.value, f.unit, f.metric) for f in figures} == {(27, "person", "suspects_arrested")}


def test_text_is_capped(caplog: pytest.LogCaptureFixture) -> None:
    unit = "抓获犯罪嫌疑人18名，"
    text = unit * (MAX_TEXT_CHARS // len(unit) + 100)
    with caplog.at_level(logging.WARNING, logger="extraction.figures"):
        figures = extract_figures(text)
    assert len(figures) == MAX_TEXT_CHARS // len(unit)
    assert max(f.end for f in figures) <= MAX_TEXT_CHARS
    assert f"text of {len(text)} characters" in caplog.text


def test_cap_never_splits_a_number() -> None:
    text = "1234567890" * 20
    cut = capped_length(text, 105)
    assert cut <= 105
    assert not (text[cut - 1].isdigit() and text[cut].isdigit()) or cut <= 95
    assert capped_length("short", 105) == 5
    assert capped_length("word " * 30, 104) == 100  # at the last space


def test_small_cap_reads_only_the_head() -> None:
    text = "抓获犯罪嫌疑人18名。\n" + "冻结资金350万元。" * 10
    assert [f.value for f in extract_figures(text, max_chars=12)] == [18]
