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
