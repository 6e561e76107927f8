"""detect_topic: the document's topic from its words, the same on all its figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from extraction import detect_topic, extract_figures

EVAL = Path(__file__).resolve().parents[1] / "fixtures" / "eval"

SEEDS = [
    ("000_a600fee20f0115c6.txt", "gambling"),
    ("001_f1eccfb33b4a693b.txt", "gambling"),
    ("002_261e2c91640e9776.txt", "organized_crime"),
    ("003_d6d199d5516477c3.txt", "border"),
    ("004_83f365617f976baf.txt", "fraud"),
]

TEXTS = [
    ("云南警方破获特大贩毒案\n缴获毒品1.2吨，抓获贩毒嫌疑人30名。", "drugs"),
    ("全国公安机关破获电信网络诈骗案件43.7万起，劝阻群众1389万人次。", "fraud"),
    ("海关总署：立案侦办走私犯罪案件4102起，查获走私冻品7.2万吨。", "smuggling"),
    ("扫黑除恶专项斗争：打掉涉黑组织3644个、恶势力犯罪集团11675个。", "organized_crime"),
    ("国家移民管理局：边检机关查处偷渡人员3200名，出入境人员达1.2亿人次。", "border"),
    # cross-border gambling is gambling, not border policing
    ("The crackdown on cross-border gambling: cross-border gambling platforms.", "gambling"),
    ("The weather was fine and the meeting ended.", "other"),
    ("", "other"),
]


@pytest.mark.parametrize(("name", "topic"), SEEDS)
def test_seed_topics(name: str, topic: str) -> None:
    text = (EVAL / name).read_text(encoding="utf-8")
    assert detect_topic(text) == topic
    assert {f.topic for f in extract_figures(text)} <= {topic}


@pytest.mark.parametrize(("text", "topic"), TEXTS)
def test_topics(text: str, topic: str) -> None:
    assert detect_topic(text) == topic


def _variants() -> list[str]:
    """Texts where the two ways of finding keywords could part: whole seeds, their lines,
    keywords opening a text or its title, English and Chinese lines mixed, slices."""
    seeds = [(EVAL / name).read_text(encoding="utf-8") for name, _ in SEEDS]
    texts = [t for t, _ in TEXTS] + seeds
    texts += [line for seed in seeds for line in seed.splitlines() if line.strip()][:200]
    texts += [
        "Gambling dens closed\nPolice seized drugs.",
        "  smuggling ring broken\n海关查获走私冻品7.2万吨。",
        "诈骗\nfraud fraud, gambling\n贩毒",
        "cross-border\ngambling: the drug trade, smugglers and border crossings",
    ]
    for seed in seeds:
        texts += [seed[at : at + 700] for at in range(0, len(seed), 577)]
        texts.append(seed * 3)  # past the 4,000 characters read
    english = [t for t in texts if t.isascii()]
    texts += [a + "\n" + b for a, b in zip(english, seeds * 20, strict=False)]
    return texts


def test_the_scan_form_finds_the_same_topic_as_the_plain_search() -> None:
    """A document detects its topic on the scan form its finders made (Doc.topic); that
    must answer what detect_topic answers on the text itself."""
    from extraction.text import Doc
    from extraction.wordscan import scan_form

    texts = _variants()
    assert len(texts) > 100
    for text in texts:
        doc = Doc(text, None)
        fast = detect_topic(doc.lower, True, doc.cjk, scan_form(doc.lower), doc.layout.non_ascii)
        assert fast == detect_topic(doc.norm), text[:200]
