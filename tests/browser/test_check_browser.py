"""`bulletins sources check` says whether a source needed the browser, and why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from replica import ReplicaServer
from tests.browser.conftest import requires_chromium
from tests.e2e.conftest import run_cli, write_config

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def check(config: Path, *ids: str) -> tuple[int, dict[str, dict[str, Any]]]:
    result = run_cli(config, "sources", "check", "--json", *ids)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, {r["source_id"]: r for r in json.loads(result.stdout)}


@requires_chromium
def test_check_reports_which_sources_needed_the_browser_and_why(
    tmp_path: Path, replica: ReplicaServer, sqlite_url: str
) -> None:
    sources = replica.sources_config(browser=True)
    never = {**next(s for s in sources if s["id"] == "replica-jsl"), "id": "jsl-never"}
    never["render"] = "never"
    config = write_config(tmp_path / "c.yaml", database=sqlite_url, sources=[*sources, never])
    ids = ("replica-gbk", "replica-jsl", "replica-jsapp", "replica-jsl-strict", "jsl-never")
    code, results = check(config, *ids)
    assert code == 1  # jsl-never is blocked

    gbk = results["replica-gbk"]
    assert gbk["verdict"] == "ok" and not gbk["needs_browser"] and gbk["browser_reason"] is None

    jsl = results["replica-jsl"]
    assert jsl["verdict"] == "ok", jsl["reason"]
    assert jsl["needs_browser"]
    assert "JavaScript cookie challenge (HTTP 521, Jiasule-style)" in jsl["browser_reason"]
    assert "the browser passed it" in jsl["browser_reason"]
    assert "cookies were handed to plain HTTP" in jsl["browser_reason"]
    assert [p["browser"] for p in jsl["listing"]] == [True]
    assert jsl["article"]["browser"] is False and jsl["article"]["status"] == 200

    jsapp = results["replica-jsapp"]
    assert jsapp["verdict"] == "ok" and jsapp["browser_reason"] == "render: always"
    assert jsapp["items"] == 10 and jsapp["article"]["browser"] is True

    strict = results["replica-jsl-strict"]
    assert strict["verdict"] == "ok", strict["reason"]
    assert "challenged again" in strict["browser_reason"]
    assert strict["article"]["browser"] is True

    blocked = results["jsl-never"]
    assert blocked["verdict"] == "blocked"
    assert blocked["reason"].endswith("set `render: auto` for this source")
    assert blocked["needs_browser"]
    assert "Jiasule-style" in blocked["browser_reason"]


@requires_chromium
def test_the_human_summary_says_why(
    tmp_path: Path, replica: ReplicaServer, sqlite_url: str
) -> None:
    config = write_config(
        tmp_path / "c.yaml", database=sqlite_url, sources=replica.sources_config(browser=True)
    )
    result = run_cli(config, "sources", "check", "replica-jsl")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[needs the browser: render: auto: the site answered with a JavaScript" in result.stdout
    assert "via the browser" in result.stdout
