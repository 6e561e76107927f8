"""User overrides of the built-in registry, by source id (bulletins/config.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bulletins.config import ConfigError, load_config, parse_config
from crawlers.spiders import spider_class
from crawlers.spiders.hanweb import ZhejiangSpider

ROOT = Path(__file__).resolve().parents[2]


def test_an_override_changes_only_the_keys_it_names() -> None:
    builtin = parse_config({}).source("gd-gat")
    config = parse_config(
        {"sources": [{"id": "gd-gat", "schedule": "5 */6 * * *", "list": {"max_pages": 2}}]}
    )
    source = config.source("gd-gat")
    assert source.schedule == "5 */6 * * *"
    assert source.list.max_pages == 2
    # nested keys merge one by one: the family's selectors and the start URL stay
    assert source.list.item == builtin.list.item
    assert source.list.pages == "index_{n}.html"
    assert source.start_urls == builtin.start_urls
    assert source.article.body == builtin.article.body
    assert len(config.sources) == len(parse_config({}).sources)


def test_an_override_of_a_source_override_keeps_its_other_overrides() -> None:
    source = parse_config(
        {"sources": [{"id": "js-gat", "article": {"body": "div.custom-body"}}]}
    ).source("js-gat")
    assert source.article.body == "div.custom-body"
    assert source.article.title == "meta[name=ArticleTitle]::attr(content), .wzzw-title"


def test_enabled_false_disables_a_builtin_source() -> None:
    config = parse_config({"sources": [{"id": "mps-en", "enabled": False}]})
    assert not config.source("mps-en").enabled
    assert "mps-en" not in {s.id for s in config.enabled_sources()}
    assert "mps-news" in {s.id for s in config.enabled_sources()}


def test_a_new_source_with_a_family_gets_the_family_defaults() -> None:
    config = parse_config(
        {
            "sources": [
                {
                    "id": "sz-gaj",
                    "name": "深圳市公安局 警务要闻",
                    "level": "municipal",
                    "region": "Shenzhen",
                    "family": "trs",
                    "start_urls": ["https://ga.sz.gov.cn/jwzx/jwyw/index.html"],
                    "list": {"pages": "index_{n}.shtml"},
                }
            ]
        }
    )
    source = config.source("sz-gaj")
    assert source.spider == "trs"
    assert source.list.pages == "index_{n}.shtml"
    assert source.list.item and source.list.item.startswith("ul.list > li")
    assert ".TRS_Editor" in (source.article.body or "")
    assert len(config.sources) == len(parse_config({}).sources) + 1


def test_an_override_may_move_a_source_to_another_family() -> None:
    source = parse_config(
        {
            "sources": [
                {
                    "id": "zj-gat",
                    "family": "zhejiang",
                    "start_urls": ["https://gat.zj.gov.cn/col/col1229565788/index.html"],
                    "list": {"min_pages": 2, "max_pages": 3},
                }
            ]
        }
    ).source("zj-gat")
    assert source.spider == "zhejiang"
    assert spider_class(source.spider) is ZhejiangSpider
    assert source.list.item.startswith(".page-content li")


def test_builtin_sources_false_keeps_only_the_users_sources() -> None:
    config = parse_config(
        {
            "builtin_sources": False,
            "sources": [
                {
                    "id": "mine",
                    "name": "我的来源",
                    "family": "gdga",
                    "start_urls": ["https://example.gov.cn/jwzx/index.html"],
                }
            ],
        }
    )
    assert [s.id for s in config.sources] == ["mine"]


def test_a_bad_override_names_the_file_line_and_source(tmp_path: Path) -> None:
    path = tmp_path / "bulletins.yaml"
    path.write_text("sources:\n  - id: sn-gat\n    schedule: every day\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert f"{path}:3" in message and "'sn-gat'" in message and "schedule" in message


def test_a_new_source_with_an_unknown_family_is_an_error() -> None:
    with pytest.raises(ConfigError, match="unknown family 'wordpress'"):
        parse_config(
            {
                "sources": [
                    {
                        "id": "x",
                        "name": "x",
                        "family": "wordpress",
                        "start_urls": ["https://example.org/"],
                    }
                ]
            }
        )


def test_the_cli_lists_an_override_and_hides_a_disabled_source(tmp_path: Path) -> None:
    path = tmp_path / "bulletins.yaml"
    path.write_text(
        'sources:\n  - id: mps-en\n    enabled: false\n  - id: gd-gat\n    schedule: "7 6 * * *"\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BULLETINS_")}
    env["PYTHONPATH"] = str(ROOT)

    def run(*args: str) -> list[dict[str, object]]:
        result = subprocess.run(
            [sys.executable, "-m", "bulletins.cli", "--config", str(path), *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    enabled = {s["id"]: s for s in run("sources", "list", "--json")}
    assert "mps-en" not in enabled
    assert enabled["gd-gat"]["schedule"] == "7 6 * * *"
    everything = {s["id"]: s for s in run("sources", "list", "--all", "--json")}
    assert everything["mps-en"]["enabled"] is False
