"""The built-in registry: every source validates, and the registry covers what it must."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import yaml
from croniter import croniter

from bulletins.config import parse_config
from crawlers.sources.registry import HERE, builtin_sources, families
from crawlers.sources.schema import SourceConfig
from crawlers.spiders import SPIDERS

PROVINCIAL_REGIONS = {
    # 4 municipalities
    "Beijing", "Tianjin", "Shanghai", "Chongqing",
    # 22 provinces
    "Hebei", "Shanxi", "Liaoning", "Jilin", "Heilongjiang", "Jiangsu", "Zhejiang", "Anhui",
    "Fujian", "Jiangxi", "Shandong", "Henan", "Hubei", "Hunan", "Guangdong", "Hainan",
    "Sichuan", "Guizhou", "Yunnan", "Shaanxi", "Gansu", "Qinghai",
    # 5 autonomous regions
    "Inner Mongolia", "Guangxi", "Tibet", "Ningxia", "Xinjiang",
}  # fmt: skip


@pytest.fixture(scope="module")
def sources() -> list[SourceConfig]:
    return list(parse_config({}).sources)


def test_every_builtin_source_validates_against_the_schema(sources: list[SourceConfig]) -> None:
    raw = builtin_sources()
    assert len(sources) == len(raw)
    ids = [entry["id"] for entry in raw]
    assert len(ids) == len(set(ids)), "duplicate built-in ids"
    for entry in raw:
        # validated one by one too, so a failure names its source
        from crawlers.sources.registry import resolve_family

        SourceConfig.model_validate(resolve_family(entry))


def test_there_are_enough_sources(sources: list[SourceConfig]) -> None:
    assert len(sources) >= 36
    assert all(s.enabled for s in sources)


def test_all_31_provincial_level_regions_are_present(sources: list[SourceConfig]) -> None:
    provincial = {s.region for s in sources if s.level == "provincial"}
    missing = PROVINCIAL_REGIONS - provincial
    assert not missing, missing


def test_the_national_sites_are_present(sources: list[SourceConfig]) -> None:
    hosts = {s.start_urls[0].split("/")[2] for s in sources if s.level == "national"}
    for host in ("www.mps.gov.cn", "english.mps.gov.cn", "www.nia.gov.cn", "www.spp.gov.cn"):
        assert host in hosts
    national = [s for s in sources if s.level == "national"]
    assert {s.language for s in national} == {"zh", "en"}
    assert any("权威发布" in s.name for s in national)


def test_each_source_describes_itself(sources: list[SourceConfig]) -> None:
    for s in sources:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in s.name), f"{s.id}: name in Chinese"
        assert s.agency and s.agency.isascii(), f"{s.id}: agency in English"
        assert s.region, s.id
        assert s.family in families(), s.id
        assert s.spider in SPIDERS, s.id
        assert s.start_urls, s.id
        if not s.list.item:  # read by detection: the notes say so
            assert "detection" in (s.notes or ""), f"{s.id}: say that detection reads it"
        if urlsplit(s.start_urls[0]).path in ("", "/") and s.list.item is None:
            # a home page holds several lists: name the one to follow, or say it is a guess
            assert s.list.headings or "GUESS" in (s.notes or ""), s.id
        assert s.verified is None, f"{s.id}: nothing was checked live"
        assert s.notes, f"{s.id}: say what is known and what is guessed"


def test_guesses_are_marked(sources: list[SourceConfig]) -> None:
    by_id = {s.id: s for s in sources}
    assert "GUESS" in (by_id["mps-en"].notes or "")
    assert by_id["mps-en"].language == "en"


def test_yunnan_uses_its_real_host(sources: list[SourceConfig]) -> None:
    yunnan = [s for s in sources if s.region == "Yunnan"]
    assert yunnan and all(
        s.start_urls[0].startswith("https://gonganting.yn.gov.cn/") for s in yunnan
    )


def _runs_per_day(expression: str) -> int:
    start = datetime(2026, 3, 2, tzinfo=ZoneInfo("Asia/Shanghai"))
    it = croniter(expression, start - timedelta(seconds=1))
    count = 0
    while it.get_next(datetime) < start + timedelta(days=1):
        count += 1
    return count


def test_schedules_are_spread(sources: list[SourceConfig]) -> None:
    minutes = Counter(s.schedule.split()[0] for s in sources)
    assert all(m.isdigit() for m in minutes), "each source runs at a fixed minute"
    assert len(minutes) >= 30, "minutes spread over the hour"
    assert max(minutes.values()) <= 3, minutes.most_common(3)
    assert minutes.get("0", 0) <= 1, "not everything at :00"
    # several times a day for national sites, a few times a day for provinces
    for s in sources:
        runs = _runs_per_day(s.schedule)
        if s.level == "national":
            assert runs >= 6, (s.id, runs)
        else:
            assert 3 <= runs <= 6, (s.id, runs)
    # provinces do not all run in the same hours
    hours = Counter(s.schedule.split()[1] for s in sources if s.level == "provincial")
    assert len(hours) >= 3


def test_registry_files_are_lists_and_families_a_mapping() -> None:
    for file in sorted(Path(HERE).glob("*.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        if file.name == "families.yaml":
            assert isinstance(data, dict)
        else:
            assert isinstance(data, list), file.name


def test_sources_list_json_lists_them(tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("BULLETINS_")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    result = subprocess.run(
        [sys.executable, "-m", "bulletins.cli", "sources", "list", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert len(listed) >= 36
    first = listed[0]
    for key in ("id", "name", "agency", "level", "region", "schedule", "start_urls", "list"):
        assert key in first
