"""What the replica's articles say: the seed releases and the shared hand-written ones.

A :class:`Bulletin` is a release without any page around it: a title and the
paragraphs of its main text. Sites wrap bulletins in their own markup; the same
bulletin served by two sites is a repost (one document, two sightings).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cache
from importlib import resources
from typing import Literal

Language = Literal["zh", "en"]

#: China Standard Time, the zone every replica date is given in.
CST = timezone(timedelta(hours=8), "Asia/Shanghai")


@dataclass(frozen=True)
class Bulletin:
    """One release: its title, the paragraphs of its main text, and its language."""

    title: str
    paragraphs: tuple[str, ...]
    language: Language

    @property
    def text(self) -> str:
        """The main text, one paragraph a line."""
        return "\n".join(self.paragraphs)


def normalize_text(text: str) -> str:
    """NFKC, whitespace collapsed to single spaces, stripped (as DESIGN.md hashes it)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def text_hash(text: str) -> str:
    """SHA-256 (hex) of the normalized text."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _SeedSpec:
    stem: str
    language: Language
    published: datetime
    title: str | None = None  # None: the first line is the title
    drop: tuple[str, ...] = ()  # lines starting with these are page chrome, not text


# Dates are those the texts themselves give (or imply, for 002 and 004).
_SEEDS: tuple[_SeedSpec, ...] = (
    _SeedSpec("000_a600fee20f0115c6", "en", datetime(2020, 10, 21, 15, 30, tzinfo=CST)),
    _SeedSpec(
        "001_f1eccfb33b4a693b",
        "zh",
        datetime(2021, 1, 14, 16, 20, tzinfo=CST),
        drop=("(0)", "相关推荐"),
    ),
    _SeedSpec(
        "002_261e2c91640e9776",
        "en",
        datetime(2022, 5, 10, 11, 0, tzinfo=CST),
        drop=("1 view", "Recent Posts", "See All"),
    ),
    _SeedSpec(
        "003_d6d199d5516477c3",
        "en",
        datetime(2023, 9, 8, 10, 0, tzinfo=CST),
        drop=(
            "Updated:",
            "Share - ",
            "The National Immigration Administration holds a news",
            "Copyright",
            "京公网安备",
        ),
    ),
    _SeedSpec(
        "004_83f365617f976baf",
        "en",
        datetime(2024, 1, 9, 10, 0, tzinfo=CST),
        title="Public security organs report results of the crackdown on telecom and online fraud",
        drop=("Animation Production",),
    ),
)


@dataclass(frozen=True)
class Seed:
    """A seed release with the date it was published."""

    stem: str
    published: datetime
    bulletin: Bulletin


def _parse_seed(spec: _SeedSpec, raw: str) -> Seed:
    lines = [line.strip() for line in raw.splitlines()]
    lines = [line for line in lines if line and not line.startswith(spec.drop)]
    title = spec.title
    if title is None:
        title, lines = lines[0], lines[1:]
    return Seed(spec.stem, spec.published, Bulletin(title, tuple(lines), spec.language))


@cache
def seeds() -> dict[str, Seed]:
    """The seed releases shipped in ``replica/seeds``, by the number of their file."""
    folder = resources.files("replica.seeds")
    found: dict[str, Seed] = {}
    for spec in _SEEDS:
        raw = folder.joinpath(f"{spec.stem}.txt").read_text(encoding="utf-8")
        found[spec.stem[:3]] = _parse_seed(spec, raw)
    return found


#: The release the GBK site publishes and the F1 site reposts. Its names hold
#: characters outside GB2312 (镕, 喆), so only a correct GBK/GB18030 decoding of
#: the GBK page yields the same text as the UTF-8 repost.
REPOSTED = Bulletin(
    title="省公安厅新闻发布会通报打击治理电信网络诈骗犯罪工作成效",
    paragraphs=(
        "3月20日，省公安厅召开新闻发布会，通报今年以来全省公安机关打击治理电信网络诈骗犯罪"
        "工作成效。省公安厅刑侦总队总队长王镕出席发布会并答记者问。",
        "王镕介绍，今年以来，全省公安机关共破获电信网络诈骗案件2316起，抓获犯罪嫌疑人1845名，"
        "打掉犯罪团伙137个，冻结涉案资金约3.6亿元，为群众追赃挽损1.2亿余元。",
        "全省反诈中心累计劝阻潜在受害群众12.7万人次，拦截诈骗电话86万余个、诈骗短信430万余条，"
        "封堵涉诈域名网址1.9万个。",
        "安陵市公安局副局长陈喆介绍，该局侦破的“2·18”专案打掉一个为境外诈骗集团提供“跑分”"
        "洗钱服务的犯罪团伙，抓获犯罪嫌疑人56名，涉案流水近9亿元。",
        "王镕提醒，“刷单返利”“虚假投资理财”“冒充客服”是当前最常见的诈骗类型，广大群众要"
        "牢记“三不一多”原则：未知链接不点击，陌生来电不轻信，个人信息不透露，转账汇款多核实。",
    ),
    language="zh",
)

#: When the GBK site published :data:`REPOSTED`, and when the F1 site reposted it.
REPOSTED_AT = datetime(2024, 3, 20, 10, 0, tzinfo=CST)
REPOSTED_AGAIN_AT = datetime(2024, 3, 21, 9, 30, tzinfo=CST)
