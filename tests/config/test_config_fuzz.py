"""Property: whatever the file holds, loading gives a valid config or a ConfigError.

Hypothesis feeds the loader random bytes and text, random YAML documents, and
valid configs with one value replaced by a random one. The outcome is always an
`AppConfig` or a `ConfigError` whose every line names the file; never any other
exception (the CLI's exit 1 with a traceback). A handful of examples also go
through the CLI: exit 0 or 2, never a traceback.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bulletins.config import AppConfig, ConfigError, load_config

SETTINGS = settings(
    max_examples=int(os.environ.get("BULLETINS_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

VALID: dict[str, Any] = {
    "database": "sqlite:///fuzz.db",
    "timezone": "Asia/Shanghai",
    "builtin_sources": False,
    "sources": [
        {
            "id": "jx-gat",
            "name": "江西省公安厅",
            "schedule": "17 */2 * * *",
            "start_urls": ["https://example.gov.cn/news/index.html"],
            "list": {"item": "ul.list li", "next_page": "a.next::attr(href)", "max_pages": 3},
            "article": {"body": "div.body"},
            "render": "never",
        }
    ],
    "webhooks": [
        {
            "id": "analysts",
            "url": "https://hooks.example.org/bulletins",
            "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "timeout": 5,
            "retry": {"attempts": 3, "first_delay": 10},
            "rules": {"min_value": 10, "keywords": ["赌博"]},
        }
    ],
    "crawl": {"download_timeout": 20, "retry_times": 1},
    "daemon": {"max_concurrent_crawls": 2, "jitter": 0},
    "browser": {"max_pages": 2},
}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "0",
            "regex:li",
            "xpath://li[",
            "0 0 30 2 *",
            "* * * * *",
            "http://127.0.0.1:abc/x",
            "https://hooks.example.org/x",
            "notaurl",
            "foo://bar",
            "sqlite:///x.db",
            "whsec_",
            "America/New_York",
            "../../etc/passwd",
            "Asia",
            "li::text",
            "{n}",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.text(max_size=12), st.integers(), st.booleans()), inner, max_size=4
        ),
    ),
    max_leaves=12,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*prefix, index))
    return out


PATHS = _paths(VALID)


def _load(path: Path) -> AppConfig | ConfigError:
    try:
        return load_config(path)
    except ConfigError as exc:
        assert exc.problems, "a ConfigError must say what is wrong"
        for line in exc.problems:
            assert line.startswith(str(path)), f"not naming the file: {line!r}"
            assert "\n" not in line
        return exc


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    return path


@pytest.fixture(autouse=True)
def _no_env_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BULLETINS_DATABASE_URL", raising=False)


@SETTINGS
@given(st.binary(max_size=300))
@example(b"\xb9\xab\xb0\xb2: 1\n")
@example(b"x: " + b"[" * 3000)
@example(b"\xef\xbb\xbfbuiltin_sources: false\n")
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    _load(_write(tmp_path, data))


@SETTINGS
@given(st.text(max_size=300))
@example("sources:\n  - id: a\n    list: {item: 'regex:li'}\n")
@example("? [a, b]\n: 1\n")
@example("a: &a [*a]\n")
@example("timezone: Asia\n")
@example("timezone: ../../../../etc/passwd\n")
def test_random_text(tmp_path: Path, text: str) -> None:
    _load(_write(tmp_path, text.encode("utf-8", errors="surrogatepass")))


@SETTINGS
@given(values)
def test_random_yaml_documents(tmp_path: Path, document: Any) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    _load(_write(tmp_path, text.encode()))


@SETTINGS
@given(st.sampled_from(PATHS), values)
def test_valid_config_with_one_random_value(
    tmp_path: Path, where: tuple[Any, ...], value: Any
) -> None:
    document = copy.deepcopy(VALID)
    node = document
    for part in where[:-1]:
        node = node[part]
    node[where[-1]] = value
    _load(_write(tmp_path, yaml.safe_dump(document, allow_unicode=True).encode()))


def test_the_valid_config_is_valid(tmp_path: Path) -> None:
    result = _load(_write(tmp_path, yaml.safe_dump(VALID, allow_unicode=True).encode()))
    assert isinstance(result, AppConfig) and result.source("jx-gat").list.max_pages == 3


@pytest.mark.parametrize(
    "data",
    [
        b"\xb9\xab\xb0\xb2: 1\n",
        b"x: " + b"[" * 3000 + b"]" * 3000,
        b"webhooks: {}\n",
        b"sources: [{id: a, name: a, start_urls: ['http://x.example/'], list: {item: li},"
        b" schedule: '0 0 31 4 *'}]\n",
        b"webhooks: [{id: a, url: 'http://127.0.0.1:abc/x'}]\n",
        b"crawl: {download_timeout: .inf}\n",
        b"webhooks: [{id: a, url: 'https://h.example/', timeout: 1e300}]\n",
        b"timezone: Asia\n",
        b"builtin_sources: false\n",
    ],
)
def test_through_the_cli_exit_0_or_2_never_a_traceback(
    tmp_path: Path, data: bytes, cli: Callable[..., tuple[int, str, str]]
) -> None:
    path = _write(tmp_path, data)
    code, _out, err = cli(
        "--config", str(path), "--db", f"sqlite:///{tmp_path}/c.db", "sources", "list"
    )
    assert code in (0, 2) and "Traceback" not in err
    assert (code == 0) == isinstance(_load(path), AppConfig)
