"""Generated data for the web benchmark: N releases and M figures, written through
the real schema (migrations, search-index triggers) into SQLite or PostgreSQL.

Releases are assembled from a few hundred Chinese sentences with slots (cities,
provinces, numbers, campaign names), 400-1,600 characters each, dated over ten
years, from one source per provincial-level region and five national ones. Some
words are planted at known rates so searches hit realistic numbers of releases:

    诈骗 in about 40 %, 电信网络诈骗 in about 30 %, 跨境赌博 in about 15 %,
    毒品 in about 12 %, and a campaign number per release (专项行动第N号) found once.

Figures get metrics with a long tail (the commonest about 14 % of all figures).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from storage.db import Database

REGIONS = (
    "Beijing", "Tianjin", "Hebei", "Shanxi", "Inner Mongolia", "Liaoning", "Jilin",
    "Heilongjiang", "Shanghai", "Jiangsu", "Zhejiang", "Anhui", "Fujian", "Jiangxi", "Shandong",
    "Henan", "Hubei", "Hunan", "Guangdong", "Guangxi", "Hainan", "Chongqing", "Sichuan",
    "Guizhou", "Yunnan", "Tibet", "Shaanxi", "Gansu", "Qinghai", "Ningxia", "Xinjiang",
)  # fmt: skip
CITIES = (
    "南州", "东平", "青川", "安陵", "云溪", "临江", "北固", "西陵", "白沙", "石门", "江城", "海阳",
    "凤山", "金川", "明水", "长宁", "清远", "平湖", "新和", "玉泉", "丰都", "广元", "宁远", "永安",
)  # fmt: skip
SUBJECTS = (
    "全省各级公安机关", "各地公安机关", "刑侦部门", "网安部门", "治安部门", "经侦部门",
    "基层派出所", "反诈中心", "出入境管理部门", "禁毒部门", "检察机关", "移民管理机构",
)  # fmt: skip
ACTIONS = (
    "坚持以人民为中心的发展思想", "紧盯人民群众反映强烈的突出问题", "深入推进专项打击整治行动",
    "持续加强源头治理和综合治理", "不断完善情报研判和警种协作机制", "全面落实打防管控各项措施",
    "扎实开展矛盾纠纷排查化解工作", "大力推进智慧警务建设", "强化部门协作和信息共享",
    "组织开展集中宣传和入户走访", "严厉打击各类违法犯罪活动", "持续深化跨区域警务合作",
)  # fmt: skip
RESULTS = (
    "切实维护了社会大局持续稳定", "推动各项工作取得了新的成效", "有力震慑了违法犯罪分子的嚣张气焰",
    "进一步提升了人民群众的安全感和满意度", "为经济社会高质量发展营造了良好环境",
    "形成了齐抓共管的良好局面", "取得了阶段性显著成效",
)  # fmt: skip
FIGURE_SENTENCES = (
    "共侦办各类案件{a}起，抓获犯罪嫌疑人{b}名，打掉犯罪团伙{c}个。",
    "冻结涉案资金{d}万元，追赃挽损{e}万元，封堵涉诈网站{f}个。",
    "劝阻潜在受害群众{g}人次，拦截可疑电话{h}个，处置涉案账户{c}个。",
    "查获违禁物品{c}公斤，捣毁违法窝点{c}个，查获涉案人员{b}名。",
)
PLANTED = (  # (phrase, share of releases)
    ("打击电信网络诈骗犯罪", 0.30),
    ("养老诈骗", 0.15),
    ("跨境赌博", 0.15),
    ("毒品", 0.12),
)
METRIC_UNITS = {
    "suspects_detained": "person", "cases_investigated": "case", "funds_seized_frozen": "CNY",
    "gangs_dismantled": "group", "people_dissuaded": "person_time", "other": "person",
    "suspects_arrested": "person", "websites_blocked": "website", "accounts_handled": "account",
    "funds_recovered": "CNY", "funds_involved": "CNY", "fugitives_captured": "person",
    "drugs_seized": "kg", "platforms_dismantled": "platform", "calls_blocked": "call",
    "persons_punished": "person", "cases_filed": "case", "persons_intercepted": "person",
    "dens_dismantled": "den", "messages_blocked": "message",
}  # fmt: skip
METRICS = tuple(METRIC_UNITS)
#: The commonest metric is about 14 % of figures (as in the replica's releases);
#: the weights fall off like 1/sqrt(rank).
METRIC_WEIGHTS = tuple(1 / math.sqrt(rank + 1) for rank in range(len(METRICS)))
START = datetime(2016, 1, 1, tzinfo=UTC)
DAYS = 3650
BATCH = 2000


def sources() -> list[dict[str, Any]]:
    rows = [
        {"id": f"bench-{r.lower().replace(' ', '-')}", "name": f"{r} 公安 警务资讯", "region": r}
        for r in REGIONS
    ]
    rows += [
        {"id": f"bench-national-{i}", "name": f"国家机关 {i}", "region": "China"} for i in range(5)
    ]
    return rows


def _sentence(rng: random.Random) -> str:
    if rng.random() < 0.3:
        numbers = {k: rng.randint(2, 5000) for k in "abcdefgh"}
        return rng.choice(FIGURE_SENTENCES).format(**numbers)
    return f"{rng.choice(SUBJECTS)}{rng.choice(ACTIONS)}，{rng.choice(RESULTS)}。"


def release(rng: random.Random, number: int) -> tuple[str, str]:
    """(title, text) of release `number`."""
    city = rng.choice(CITIES)
    planted = [phrase for phrase, share in PLANTED if rng.random() < share]
    topic = planted[0] if planted else rng.choice(("社会治安", "交通安全", "基层基础工作"))
    title = f"{city}市公安局通报{topic}专项行动第{number}号工作情况"
    size = rng.randint(400, 1600)
    paragraphs, length = [], 0
    lead = f"{city}市公安机关{rng.choice(ACTIONS)}，" + "，".join(
        f"深入开展{p}专项治理" for p in planted
    )
    paragraphs.append(lead.rstrip("，") + "。")
    while length < size:
        paragraph = "".join(_sentence(rng) for _ in range(rng.randint(3, 6)))
        paragraphs.append(paragraph)
        length += len(paragraph)
    return title, "\n".join(paragraphs)


def _documents(rng: random.Random, count: int, source_ids: list[str]) -> Iterator[dict[str, Any]]:
    for number in range(1, count + 1):
        title, body = release(rng, number)
        published = START + timedelta(days=rng.randrange(DAYS), hours=rng.randint(0, 12) - 8)
        yield {
            "id": number,
            "content_hash": hashlib.sha256(f"{number}:{body}".encode()).hexdigest(),
            "source_id": rng.choice(source_ids),
            "url": f"http://127.0.0.1/bench/{number}.html",
            "title": title,
            "published_at": published,
            "language": "zh",
            "text": body,
            "created_at": published + timedelta(hours=2),
            "length": len(body),
        }


def _figures(
    rng: random.Random, doc: dict[str, Any], count: int, first_id: int
) -> list[dict[str, Any]]:
    starts = rng.sample(range(max(count, doc["length"] - 12)), count)
    rows = []
    for offset, start in enumerate(sorted(starts)):
        metric = rng.choices(METRICS, METRIC_WEIGHTS)[0]
        rows.append(
            {
                "id": first_id + offset,
                "document_id": doc["id"],
                "source_id": doc["source_id"],
                "text": f"抓获犯罪嫌疑人{start}名",
                "start": start,
                "end": start + 10,
                "value": rng.randint(1, 100_000),
                "unit": METRIC_UNITS[metric],
                "qualifier": rng.choice(("exact", "exact", "more_than", "about", "nearly")),
                "metric": metric,
                "topic": "fraud",
                "extractor_version": 1,
                "created_at": doc["created_at"],
            }
        )
    return rows


def generate(url: str, documents: int, figures: int, seed: int = 15) -> dict[str, int]:
    """Fill the (empty) database at `url`; returns the counts written."""
    rng = random.Random(seed)
    db = Database(url)
    source_rows = sources()
    per_document = figures / documents
    from storage.models import Document, Figure, Sighting, Source

    written = {"documents": 0, "figures": 0, "sightings": 0}
    with db.engine.begin() as conn:
        conn.execute(
            Source.__table__.insert(),  # type: ignore[attr-defined]
            [{**s, "agency": "", "level": "provincial", "language": "zh", "config": {},
              "healthy": True, "created_at": START, "updated_at": START} for s in source_rows],
        )  # fmt: skip
    ids = [s["id"] for s in source_rows]
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        figure_rows, sighting_rows = [], []
        for doc in batch:
            target = figures - written["figures"] - len(figure_rows)
            left = documents - doc["id"] + 1
            n = min(target, max(0, round(rng.gauss(per_document, per_document / 3))))
            n = target if left == 1 else n
            figure_rows += _figures(rng, doc, n, written["figures"] + len(figure_rows) + 1)
            sighting_rows.append(
                {"document_id": doc["id"], "source_id": doc["source_id"], "url": doc["url"],
                 "first_seen": doc["created_at"], "last_seen": doc["created_at"], "current": True}
            )  # fmt: skip
        with db.engine.begin() as conn:
            conn.execute(
                Document.__table__.insert(),  # type: ignore[attr-defined]
                [{k: v for k, v in d.items() if k != "length"} for d in batch],
            )
            conn.execute(Sighting.__table__.insert(), sighting_rows)  # type: ignore[attr-defined]
            if figure_rows:
                conn.execute(Figure.__table__.insert(), figure_rows)  # type: ignore[attr-defined]
        written["documents"] += len(batch)
        written["sightings"] += len(sighting_rows)
        written["figures"] += len(figure_rows)
        batch.clear()

    for doc in _documents(rng, documents, ids):
        batch.append(doc)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    # No ANALYZE on SQLite: a user's database has no statistics either, and the
    # queries must be fast without them. On PostgreSQL, what autovacuum does to a
    # database in use (it may be off on a test server): statistics, and the
    # visibility map that lets index-only scans skip the tables.
    if not db.is_sqlite:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in ("documents", "sightings", "figures", "figure_totals"):
                conn.execute(text(f"VACUUM ANALYZE {table}"))
    db.dispose()
    return written
