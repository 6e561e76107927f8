"""Config files the loader used to choke on: each is a ConfigError naming the culprit.

D7: a file that is not UTF-8, or nested thousands deep (a traceback, exit 1).
D6: a cron expression that never fires (a traceback in status, run-due, daemon); an
interval that is malformed or zero (``every day``, ``every 0m``).
D18: a ``regex:`` selector (accepted, then unsupported at crawl time).
D19: a section of the wrong type that happens to be falsy (silently ignored).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bulletins.config import ConfigError, load_config

SOURCE = """\
builtin_sources: false
sources:
  - id: loc
    name: "{name}"
    schedule: "{schedule}"
    start_urls: ["https://example.gov.cn/news/index.html"]
    list:
      item: "{item}"
"""


def source_config(name: str = "公安", schedule: str = "0 */6 * * *", item: str = "li") -> str:
    return SOURCE.format(name=name, schedule=schedule, item=item)


def write_bytes(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "bulletins.yaml"
    path.write_bytes(data)
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as err:
        load_config(path)
    return str(err.value)


# --- D7: encodings -------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (source_config().encode("gbk"), 4),  # an editor saved it as GBK
        (source_config().encode("gb18030") + "# 备注\n".encode("gb18030"), 4),
        (source_config(name="Café").encode("latin-1"), 4),
        (source_config().encode("utf-8") + b"# \xb9\xab\xb0\xb2\n", 9),  # one stray line
        (b"builtin_sources: false\n\xff\xfe\x00", 2),
        (source_config().encode("utf-16"), 1),  # UTF-16 with its BOM
    ],
)
def test_a_file_that_is_not_utf8_names_its_line_and_byte(
    tmp_path: Path, data: bytes, line: int
) -> None:
    message = error_of(write_bytes(tmp_path, data))
    assert f"bulletins.yaml:{line}:" in message
    assert "UTF-8" in message and "byte" in message


def test_a_utf8_file_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    config = load_config(write_bytes(tmp_path, b"\xef\xbb\xbf" + source_config().encode()))
    assert config.source("loc").name == "公安"


# --- D7: nesting ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "builtin_sources: false\nx: " + "[" * 3000 + "]" * 3000 + "\n",
        "builtin_sources: false\nx: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n",
        "builtin_sources: false\nx:\n" + "".join(f"{'  ' * i}k{i}:\n" for i in range(1, 1500)),
        "builtin_sources: false\nx:\n" + "".join(f"{'  ' * i}- \n" for i in range(1, 1500)),
        "builtin_sources: false\nsources:\n  - id: deep\n    notes: " + "[" * 5000 + "\n",
    ],
    ids=["flow-sequences", "flow-mappings", "block-mappings", "block-sequences", "unclosed"],
)
def test_deep_nesting_is_a_config_error_with_a_line(tmp_path: Path, text: str) -> None:
    message = error_of(write_bytes(tmp_path, text.encode()))
    assert "bulletins.yaml:" in message
    line = int(message.split("bulletins.yaml:")[1].split(":")[0])
    assert line >= 2


def test_nesting_a_config_needs_still_loads(tmp_path: Path) -> None:
    text = source_config() + "    article: {title: 'h1::text', body: 'div.body'}\n"
    assert load_config(write_bytes(tmp_path, text.encode())).source("loc").article.body


# --- D6: cron expressions that never fire ----------------------------------------


@pytest.mark.parametrize(
    "schedule",
    [
        "0 0 30 2 *",
        "0 0 31 4 *",
        "15 3 31 2,4,6,9,11 *",
        "0 0 30,31 2 *",
        "0 0 1 1 * 0 2020",
        "0 12 30 2 * 0 2020-2099",
        "0 0 1 1 * 0 1999",
    ],
)
def test_a_cron_expression_that_never_fires_is_rejected(tmp_path: Path, schedule: str) -> None:
    message = error_of(write_bytes(tmp_path, source_config(schedule=schedule).encode()))
    assert "bulletins.yaml:5:" in message and "source 'loc'" in message
    assert "schedule" in message and "never" in message


@pytest.mark.parametrize(
    "schedule", ["0 0 29 2 *", "0 0 L 2 *", "@yearly", "0 0 31 * *", "0 9 * * 7", "@hourly"]
)
def test_rare_but_real_schedules_load(tmp_path: Path, schedule: str) -> None:
    config = load_config(write_bytes(tmp_path, source_config(schedule=schedule).encode()))
    assert config.source("loc").schedule == schedule


@pytest.mark.parametrize(
    ("schedule", "why"),
    [
        ("every 0m", "zero interval"),
        ("every day", "not a valid interval"),
        ("every 1.5h", "not a valid interval"),
        ("every 400d", "longer than a year"),
    ],
)
def test_a_bad_interval_is_rejected_naming_the_source_and_the_value(
    tmp_path: Path, schedule: str, why: str
) -> None:
    message = error_of(write_bytes(tmp_path, source_config(schedule=schedule).encode()))
    assert "bulletins.yaml:5:" in message and "source 'loc'" in message
    assert "schedule" in message and why in message and repr(schedule) in message


@pytest.mark.parametrize("schedule", ["every 30s", "every 15m", "every 2h", "every 1d"])
def test_intervals_load(tmp_path: Path, schedule: str) -> None:
    config = load_config(write_bytes(tmp_path, source_config(schedule=schedule).encode()))
    assert config.source("loc").schedule == schedule


def test_status_exits_2_and_creates_nothing(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    path = write_bytes(tmp_path, source_config(schedule="0 0 31 4 *").encode())
    db = tmp_path / "never.db"
    for command in (["status"], ["run-due"], ["sources", "list"]):
        code, _out, err = cli("--config", str(path), "--db", f"sqlite:///{db}", *command)
        assert code == 2 and "schedule" in err and "Traceback" not in err
    assert not db.exists()


# --- D18: regex selectors ----------------------------------------------------------


@pytest.mark.parametrize(("item", "key"), [("regex:li", "list.item"), ("regex:(a", "list.item")])
def test_regex_selectors_are_rejected(tmp_path: Path, item: str, key: str) -> None:
    message = error_of(write_bytes(tmp_path, source_config(item=item).encode()))
    assert "bulletins.yaml:8:" in message and "source 'loc'" in message and key in message
    assert "regex:" in message and "CSS" in message


def test_regex_elsewhere_is_rejected_too(tmp_path: Path) -> None:
    text = source_config() + "      title: 'regex:<a>(.*)</a>'\n    article: {body: 'regex:x'}\n"
    message = error_of(write_bytes(tmp_path, text.encode()))
    assert "list.title" in message and "article.body" in message


# --- D19: falsy values of the wrong type ------------------------------------------------


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("webhooks: {}", "webhooks"),
        ("webhooks: 0", "webhooks"),
        ("crawl: []", "crawl"),
        ("crawl: 0", "crawl"),
        ('sources: ""', "sources"),
        ("sources: {}", "sources"),
        ("daemon: 0", "daemon"),
        ("daemon: false", "daemon"),
        ('browser: ""', "browser"),
        ("browser: []", "browser"),
        ('database: ""', "database"),
        ("database: 0", "database"),
        ("database: []", "database"),
        ('timezone: ""', "timezone"),
        ("timezone: 0", "timezone"),
        ('builtin_sources: ""', "builtin_sources"),
        ("builtin_sources: 0", "builtin_sources"),
        ('builtin_sources: "no"', "builtin_sources"),
    ],
)
def test_a_falsy_section_of_the_wrong_type_is_an_error(tmp_path: Path, line: str, key: str) -> None:
    message = error_of(write_bytes(tmp_path, f"# config\n{line}\n".encode()))
    assert f"bulletins.yaml:2: {key}:" in message


@pytest.mark.parametrize("key", ["webhooks", "crawl", "sources", "daemon", "browser"])
def test_an_empty_key_means_the_defaults(tmp_path: Path, key: str) -> None:
    """`webhooks:` with every entry commented out is YAML null: the default, not an error."""
    config = load_config(write_bytes(tmp_path, f"builtin_sources: false\n{key}:\n".encode()))
    assert config.sources == () and config.webhooks == ()


def test_the_probes_falsy_config_fails_as_a_whole(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    text = 'builtin_sources: false\ncrawl: []\ndaemon: 0\nbrowser: ""\nwebhooks: {}\nsources: ""\n'
    path = write_bytes(tmp_path, text.encode())
    code, out, err = cli(
        "--config", str(path), "--db", f"sqlite:///{tmp_path}/c.db", "sources", "list"
    )
    assert code == 2 and out == ""
    for key in ("crawl", "daemon", "browser", "webhooks", "sources"):
        assert f": {key}:" in err


def test_an_empty_db_option_is_an_error(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = cli("--db", "", "status")
    assert code == 2 and "--db" in err
    assert not (tmp_path / "bulletins.db").exists()
