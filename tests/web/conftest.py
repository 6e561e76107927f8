"""Fixtures of the web tests: a small known database (on SQLite and PostgreSQL),
written through the repository as crawls write it, and the app over it, driven
through httpx.ASGITransport."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from storage import articles, repository, runs
from storage.db import Database
from storage.models import Source
from web import create_app

CST = timezone(timedelta(hours=8))
TZ = "Asia/Shanghai"

SOURCES = [
    {"id": "gd-gat", "name": "广东省公安厅 警务资讯", "region": "Guangdong"},
    {"id": "zj-gat", "name": "浙江省公安厅 警方发布", "region": "Zhejiang"},
    {"id": "mps-en", "name": "Ministry of Public Security - News", "region": "China",
     "language": "en"},
]  # fmt: skip


@dataclass
class Release:
    key: str
    source: str
    title: str
    text: str
    published: datetime | None
    figures: list[tuple[str, str, float, str, str]] = field(default_factory=list)
    language: str = "zh"
    url: str = ""


# figures: (span in text, metric, value, unit, qualifier)
RELEASES = [
    Release(
        "march", "gd-gat", "广东警方打击电信网络诈骗犯罪",
        "广东省公安机关开展打击电信网络诈骗专项行动，抓获犯罪嫌疑人120名，冻结涉案资金350万元。\n"
        "警方提示：凡是要求转账的都是诈骗。",
        # 00:30 on 1 March in Guangzhou is still 29 February in UTC: it counts for March.
        datetime(2024, 3, 1, 0, 30, tzinfo=CST),
        [("抓获犯罪嫌疑人120名", "suspects_detained", 120, "person", "exact"),
         ("冻结涉案资金350万元", "funds_seized_frozen", 3_500_000, "CNY", "exact")],
    ),
    Release(
        "february", "gd-gat", "广东警方通报跨境赌博案件",
        "今年以来，广东警方侦破跨境赌博案件，抓获犯罪嫌疑人30余名。",
        datetime(2024, 2, 15, 10, 0, tzinfo=CST),
        [("抓获犯罪嫌疑人30余名", "suspects_detained", 30, "person", "more_than")],
    ),
    Release(
        "may", "gd-gat", "广东开展禁毒宣传活动",
        "全省开展禁毒宣传，打击毒品犯罪，抓获犯罪嫌疑人10名。",
        datetime(2024, 5, 20, 9, 0, tzinfo=CST),
        [("抓获犯罪嫌疑人10名", "suspects_detained", 10, "person", "exact")],
    ),
    Release(
        "zhejiang", "zj-gat", "浙江公安破获养老诈骗案",
        "浙江警方破获一起养老诈骗案，涉及跨境赌博资金，抓获犯罪嫌疑人45名。",
        datetime(2024, 4, 10, 15, 0, tzinfo=CST),
        [("抓获犯罪嫌疑人45名", "suspects_detained", 45, "person", "exact")],
    ),
    Release(
        "english", "mps-en", "Police crack down on telecom FRAUD",
        "Police arrested 200 suspects in a nationwide fraud crackdown.",
        datetime(2024, 3, 10, 11, 0, tzinfo=CST),
        [("arrested 200 suspects", "suspects_detained", 200, "person", "exact")],
        language="en",
    ),
    Release(
        "undated", "zj-gat", "浙江警方提示防范诈骗",
        "警方提示广大群众防范诈骗，已劝阻群众7人。",
        None,
        [("劝阻群众7人", "suspects_detained", 7, "person", "exact")],
    ),
    Release(
        # Its title ends with a two-character word that its text does not hold.
        "title-end", "zj-gat", "省厅召开会议部署打击诈骗",
        "会议要求各地加强协作，形成合力。",
        datetime(2024, 1, 5, 9, 0, tzinfo=CST),
    ),
]  # fmt: skip

VERSION_URL = "https://zj.example.gov.cn/jwzx/2024/q1.html"
VERSION_1 = "浙江通报第一季度治安形势\n全省抓获犯罪嫌疑人100名。"
VERSION_2 = "浙江通报第一季度治安形势\n全省抓获犯罪嫌疑人150名，另破获案件20起。"


@dataclass
class Seeded:
    url: str
    ids: dict[str, int]
    version_ids: tuple[int, int]

    def id(self, key: str) -> int:
        return self.ids[key]


def _figure(
    text: str, span: str, metric: str, value: float, unit: str, qualifier: str
) -> dict[str, Any]:
    start = text.index(span)
    return {"text": span, "start": start, "end": start + len(span), "value": value,
            "unit": unit, "qualifier": qualifier, "metric": metric, "topic": "fraud"}  # fmt: skip


def _store(session: Any, release: Release, url: str) -> int:
    result = articles.store_article(
        session, source_id=release.source, url=url, title=release.title,
        published_at=release.published, language=release.language, text=release.text,
        content_hash=hashlib.sha256(release.text.encode()).hexdigest(),
    )  # fmt: skip
    figures = [_figure(release.text, *f) for f in release.figures]
    articles.add_figures(session, result.document_id, release.source, figures, 1)
    return result.document_id


def seed(url: str) -> Seeded:
    db = Database(url)
    ids: dict[str, int] = {}
    with db.session() as session, session.begin():
        for source in SOURCES:
            repository.upsert_source(session, source)
        for n, release in enumerate(RELEASES):
            ids[release.key] = _store(
                session, release, f"https://{release.source}.example.gov.cn/{n}.html"
            )
        # The March release reposted by Zhejiang: one document, two sightings.
        march = RELEASES[0]
        repost = Release("repost", "zj-gat", march.title, march.text, march.published)
        assert _store(session, repost, "https://zj.example.gov.cn/repost.html") == ids["march"]
        when = datetime(2024, 4, 1, 10, 0, tzinfo=CST)
        first = Release(
            "v1",
            "zj-gat",
            "浙江通报第一季度治安形势",
            VERSION_1,
            when,
            [("抓获犯罪嫌疑人100名", "suspects_detained", 100, "person", "exact")],
        )
        second = Release("v2", "zj-gat", "浙江通报第一季度治安形势", VERSION_2, when,
                         [("抓获犯罪嫌疑人150名", "suspects_detained", 150, "person", "exact"),
                          ("破获案件20起", "cases_investigated", 20, "case", "exact")])  # fmt: skip
        v1 = _store(session, first, VERSION_URL)
        v2 = _store(session, second, VERSION_URL)
        # Zhejiang's last crawl failed, and its health watch said why.
        run = runs.open_run(session, "zj-gat")
        runs.finish_run(
            session,
            run.id,
            status="failed",
            reason="no listing page could be read: http_503 (HTTP 503)",
            errors=[{"url": "u", "code": "http_503", "error": "HTTP 503", "kind": "listing"}],
        )
        session.execute(
            update(Source)
            .where(Source.id == "zj-gat")
            .values(healthy=False, health_reason="3 failed runs in a row (last: listing: HTTP 503)")
        )
        ok = runs.open_run(session, "gd-gat")
        runs.finish_run(session, ok.id, status="ok", new_documents=3)
    db.dispose()
    return Seeded(url=url, ids=ids, version_ids=(v1, v2))


@pytest.fixture
def seeded(database_url: str) -> Seeded:
    return seed(database_url)


@pytest.fixture
def read_db(seeded: Seeded) -> Iterator[Database]:
    db = Database(seeded.url, read_only=True)
    yield db
    db.dispose()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client(read_db: Database) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(read_db, timezone=TZ)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
