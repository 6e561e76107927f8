"""The config loader: every error names the file, the line, the source and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletins.config import ConfigError, load_config

VALID = """\
database: sqlite:///x.db
builtin_sources: false
sources:
  - id: jx-gat
    name: 江西省公安厅 警务资讯
    start_urls: ["https://example.gov.cn/news/index.html"]
    list:
      item: "ul.list li"
      next_page: "xpath://a[@class='next']/@href"
webhooks:
  - id: analysts
    url: https://hooks.example.org/bulletins
    secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bulletins.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_config_loads(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, VALID))
    assert [s.id for s in config.sources] == ["jx-gat"]
    assert config.source("jx-gat").list.min_pages == 2
    assert config.webhook("analysts").retry.attempts == 8
    assert "whsec_" not in repr(config.webhook("analysts"))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("      item:", "      itemz:"), ["bulletins.yaml:8:", "source 'jx-gat'", "list.itemz"]),
        (
            ('    start_urls: ["https://example.gov.cn/news/index.html"]\n', ""),
            ["bulletins.yaml:4:", "source 'jx-gat'", "start_urls", "Field required"],
        ),
        (
            ('"ul.list li"', '"ul.list li["'),
            ["bulletins.yaml:8:", "source 'jx-gat'", "list.item", "invalid selector"],
        ),
        (
            ("xpath://a[@class='next']/@href", "xpath://a[@class='next'/@href"),
            ["bulletins.yaml:9:", "list.next_page", "invalid selector"],
        ),
        (("database:", "databse:"), ["bulletins.yaml:1:", "databse", "unknown key"]),
        (
            ("url: https://hooks", "url: ftp://hooks"),
            ["bulletins.yaml:12:", "webhook 'analysts'", "url"],
        ),
        (("builtin_sources: false", "timezone: Mars/Olympus"), ["timezone", "Mars/Olympus"]),
    ],
)
def test_errors_name_file_line_source_and_key(
    tmp_path: Path, change: tuple[str, str], expected: list[str]
) -> None:
    old, new = change
    assert old in VALID
    text = VALID.replace(old, new, 1)
    if "timezone" in new:
        text = text.replace("sources:", "builtin_sources: false\nsources:")
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    message = str(err.value)
    for part in expected:
        assert part in message


def test_invalid_yaml_names_its_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"bulletins.yaml:3: not valid YAML"):
        load_config(write(tmp_path, "sources:\n  - id: a\n    name: [unclosed\n"))


def test_environment_overrides_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BULLETINS_DATABASE_URL", "sqlite:///other.db")
    assert load_config(write(tmp_path, VALID)).database == "sqlite:///other.db"


def test_config_file_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETINS_CONFIG", str(write(tmp_path, VALID)))
    assert load_config().sources[0].id == "jx-gat"
