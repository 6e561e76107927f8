"""`bulletins doctor`, and the daemon's refusal to start without a dependency.

A dependency is made to fail by a module of the same name on PYTHONPATH that
raises ImportError, as a broken or missing install would (the command then runs in
a child process); other checks run the command in-process, faster.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from alembic import command

from storage.db import alembic_config, create_db_engine, head_revision

ROOT = Path(__file__).resolve().parents[2]


def write_config(tmp_path: Path, **extra: Any) -> Path:
    config = {"database": f"sqlite:///{tmp_path / 'bulletins.db'}", "builtin_sources": False}
    config.update(extra)
    path = tmp_path / "bulletins.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    return path


def cli(
    config: Path, *args: str, broken: tuple[str, ...] = (), tmp_path: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `bulletins --config CONFIG ARGS` with each module in `broken` failing to import."""
    env = dict(os.environ)
    paths = [str(ROOT)]
    if broken:
        assert tmp_path is not None
        fakes = tmp_path / "broken-modules"
        for name in broken:
            package = fakes / name
            package.mkdir(parents=True, exist_ok=True)
            (package / "__init__.py").write_text(f"raise ImportError('{name} is broken here')\n")
        paths.insert(0, str(fakes))
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return subprocess.run(
        [sys.executable, "-m", "bulletins.cli", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
    )


def doctor(
    config: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> subprocess.CompletedProcess[str]:
    """`bulletins --config CONFIG doctor ARGS` in this process (its checks import nothing
    that a test process cannot share)."""
    from bulletins.cli import main

    code = main(["--config", str(config), "doctor", *args])
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(["doctor"], code, out, err)


def without_modules(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """Make `import NAME` fail in this process, as if NAME were not installed."""
    for name in names:
        monkeypatch.setitem(sys.modules, name, None)


def lines(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    """The check lines by name: ``{"database": "ok (...)", ...}``."""
    found = {}
    for line in result.stdout.splitlines():
        name, _, rest = line.partition(": ")
        found[name] = rest
    return found


def upgraded(config: Path, revision: str = "head") -> None:
    database = yaml.safe_load(config.read_text())["database"]
    engine = create_db_engine(database)
    command.upgrade(alembic_config(engine), revision)
    engine.dispose()


def test_a_good_setup_is_all_ok(tmp_path: Path) -> None:
    hook = {"id": "lan", "url": "http://127.0.0.1:9/hook", "allow_private_network": True}
    source = {"id": "plain", "name": "Plain", "start_urls": ["http://127.0.0.1:9/news/"]}
    config = write_config(tmp_path, webhooks=[hook], sources=[{**source, "render": "never"}])
    upgraded(config)
    result = cli(config, "doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    found = lines(result)
    assert {"main text (trafilatura)", "browser support", "config", "database"} <= set(found)
    assert "webhook lan" in found
    assert all(status.startswith("ok") for status in found.values()), result.stdout
    assert head_revision() in found["database"]


def test_a_main_text_module_that_fails_to_import_is_a_problem(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    result = cli(config, "doctor", broken=("trafilatura",), tmp_path=tmp_path)
    assert result.returncode == 1
    problem = lines(result)["main text (trafilatura)"]
    assert problem.startswith("cannot import trafilatura") and "fix:" in problem
    assert "trafilatura is broken here" in problem


@pytest.mark.parametrize("module", ["lxml.html.clean", "justext"])
def test_the_imports_of_the_jusText_fallback_are_checked(
    tmp_path: Path, module: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    without_modules(monkeypatch, module)
    result = doctor(write_config(tmp_path), capsys)
    assert result.returncode == 1
    problem = lines(result)["main text (trafilatura)"]
    assert problem.startswith(f"cannot import {module}") and "fix:" in problem


def test_broken_browser_support_is_a_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    without_modules(monkeypatch, "playwright.async_api")
    result = doctor(write_config(tmp_path), capsys)
    assert result.returncode == 1
    assert "cannot import playwright.async_api" in lines(result)["browser support"]


def test_a_database_behind_on_migrations_is_a_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path)
    upgraded(config, "0004")
    result = doctor(config, capsys)
    assert result.returncode == 1
    problem = lines(result)["database"]
    assert "at migration 0004" in problem and head_revision() in problem
    assert "bulletins db upgrade" in problem


def test_an_unreachable_database_is_a_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("not a directory")
    config = write_config(tmp_path, database=f"sqlite:///{tmp_path / 'file' / 'x.db'}")
    result = doctor(config, capsys)
    assert result.returncode == 1
    assert "cannot open the database" in lines(result)["database"]


def test_a_missing_postgresql_driver_is_a_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:1/none"
    config = write_config(tmp_path, database=url)
    without_modules(monkeypatch, "psycopg")
    result = doctor(config, capsys)
    assert result.returncode == 1
    # The config names the driver its URL needs: a config problem, with the fix.
    problem = lines(result)["config"]
    assert "driver" in problem and "psycopg" in problem
    assert "bulletin-watch[postgresql]" in problem


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:9/hook", "loopback"),
        ("http://10.1.2.3/hook", "private"),
        ("http://169.254.169.254/latest", "cloud metadata"),
        ("http://localhost:8080/hook", "loopback"),
    ],
)
def test_a_webhook_the_address_guard_refuses_is_a_problem(
    tmp_path: Path, url: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, webhooks=[{"id": "inside", "url": url}])
    upgraded(config)
    result = doctor(config, capsys)
    assert result.returncode == 1
    problem = lines(result)["webhook inside"]
    assert f"refused by the address guard ({reason})" in problem
    assert "allow_private_network" in problem
    assert "/hook" not in result.stdout and "/latest" not in result.stdout  # no path printed


def test_an_invalid_config_is_a_problem_line_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, webhooks=[{"id": "x", "url": "ftp://example.com/"}])
    result = doctor(config, capsys)
    assert result.returncode == 1
    found = lines(result)
    assert found["main text (trafilatura)"].startswith("ok")
    assert "webhook 'x'" in found["config"] and "fix:" in found["config"]


def test_a_missing_chromium_is_a_problem_only_where_a_source_renders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered = {
        "id": "js",
        "name": "JS",
        "start_urls": ["http://127.0.0.1:9/"],
        "render": "always",
    }
    monkeypatch.delenv("BULLETINS_CHROMIUM", raising=False)
    browser = {"executable": str(tmp_path / "no-chromium")}
    config = write_config(tmp_path, browser=browser)
    upgraded(config)
    assert "chromium" not in lines(doctor(config, capsys))  # no source needs it
    config = write_config(tmp_path, browser=browser, sources=[rendered])
    result = doctor(config, capsys)
    assert result.returncode == 1
    problem = lines(result)["chromium"]
    assert "no-chromium" in problem and "js" in problem and "fix:" in problem


@pytest.mark.daemon
def test_the_daemon_refuses_to_start_without_a_dependency(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    result = cli(config, "daemon", broken=("trafilatura",), tmp_path=tmp_path)
    assert result.returncode == 1
    assert "cannot start" in result.stderr and "trafilatura is broken here" in result.stderr


def test_the_daemon_checks_the_crawl_imports_without_carrying_them(tmp_path: Path) -> None:
    """The daemon's start-up check imports trafilatura in a child interpreter: the
    daemon itself never crawls, and the import would cost it some 10 MB resident."""
    config = write_config(tmp_path, sources=[
        {"id": "shown", "name": "Shown", "start_urls": ["http://127.0.0.1:9/"], "render": "auto"}
    ])
    probe = (
        "import sys\n"
        "from bulletins.config import load_config\n"
        "from bulletins.doctor import dependency_problems\n"
        f"problems = dependency_problems(load_config({str(config)!r}))\n"
        "heavy = ('trafilatura', 'justext', 'playwright.async_api')\n"
        "print(len(problems), *(name in sys.modules for name in heavy))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BULLETINS_CHROMIUM": sys.executable}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=240, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "False", "False", "False"]
