"""Database URLs (D15, D16): one clear line for a bad one, and a password stays secret.

A URL that cannot be used (unparseable, unknown dialect, driver not installed,
empty) is a configuration error: exit 2, one line naming where it came from.
A database that cannot be opened or reached is one line too (exit 1), not a
traceback. A password, in the user info or as a ``password``/``sslpassword``
query parameter, never appears on a child's command line or in any output.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_URL

# New each run (so it cannot be in any output by chance), the same in every xdist worker
# of one run (it is in test ids, which the workers must agree on).
PASSWORD = "S3cretPW-" + (os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex)[:8]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("notaurl", "not a database URL"),
        ("foo://bar", "unknown database dialect 'foo'"),
        ("postgresql+nodriver://u@127.0.0.1/x", "unknown database"),
        (f"mysql://u:{PASSWORD}@127.0.0.1:1/x", "use sqlite or postgresql"),
        ("sqlite+pysqlcipher:///x.db", "driver"),
        (f"postgresql+psycopg2://u@127.0.0.1/x?password={PASSWORD}", "driver"),
        ("://", "not a database URL"),
        (f"postgresql://u:{PASSWORD}@127.0.0.1:notaport/x", "not a database URL"),
    ],
)
def test_an_unusable_url_exits_2_with_one_line(
    tmp_path: Path,
    url: str,
    expected: str,
    cli: Callable[..., tuple[int, str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("--db", url, "status")
    assert code == 2, err
    assert expected in err and "--db" in err
    assert "Traceback" not in err and PASSWORD not in out + err
    assert len(err.strip().splitlines()) <= 2  # "configuration error:" and the line
    assert not list(tmp_path.iterdir())  # nothing created


def test_the_config_files_database_is_checked_with_its_line(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("builtin_sources: false\n\ndatabase: foo://bar\n", encoding="utf-8")
    code, _out, err = cli("--config", str(path), "status")
    assert code == 2 and "c.yaml:3: database: unknown database dialect 'foo'" in err


def test_the_environments_database_is_checked_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bulletins.config import ConfigError, load_config

    path = tmp_path / "c.yaml"
    path.write_text("builtin_sources: false\n", encoding="utf-8")
    monkeypatch.setenv("BULLETINS_DATABASE_URL", "notaurl")
    with pytest.raises(ConfigError, match=r"(?m)^\$BULLETINS_DATABASE_URL: not a database URL"):
        load_config(path)


@pytest.mark.parametrize(
    "make_url",
    [
        lambda tmp, port: f"postgresql://postgres:{PASSWORD}@127.0.0.1:{port}/test",
        lambda tmp, port: f"postgresql://postgres@127.0.0.1:{port}/test?password={PASSWORD}",
        lambda tmp, port: "sqlite:////proc/no-such-dir/x.db",
        lambda tmp, port: f"sqlite:///{tmp}/afile/x.db",
    ],
    ids=["pg-closed-port", "pg-closed-port-query-password", "sqlite-under-proc", "sqlite-file-dir"],
)
def test_a_database_that_cannot_be_opened_is_one_line(
    tmp_path: Path,
    make_url: Callable[[Path, int], str],
    cli: Callable[..., tuple[int, str, str]],
) -> None:
    (tmp_path / "afile").write_text("not a directory")
    url = make_url(tmp_path, _closed_port())
    code, out, err = cli("--db", url, "status")
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bulletins: cannot ")
    assert "database" in lines[0] and "Traceback" not in err and PASSWORD not in out + err


# --- D16: a password is a secret wherever it sits -------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://postgres:{PASSWORD}@127.0.0.1:5432/test",
        f"postgresql://postgres@127.0.0.1:5432/test?password={PASSWORD}",
        f"postgresql://postgres@127.0.0.1:5432/test?sslmode=prefer&PassWord={PASSWORD}",
        f"postgresql://postgres@127.0.0.1:5432/test?sslpassword={PASSWORD}&sslmode=require",
        f"postgresql+psycopg://postgres@/test?host=/run/postgresql&password={PASSWORD}",
    ],
)
def test_a_password_never_goes_on_a_crawl_workers_command_line(url: str) -> None:
    from crawlers.warm import protocol
    from scheduler.pool import PoolSettings
    from scheduler.pool_worker import WorkerProcess

    settings = PoolSettings(database_url=url).worker_settings()
    worker = WorkerProcess("w1", settings)
    assert not any(PASSWORD in part for part in worker.command())
    sent = protocol.WorkerSettings.from_message(protocol.decode(protocol.encode(
        settings.message()
    )))
    assert sent.database_url == url  # on the worker's stdin, not in the process list


def test_redacted_urls_keep_everything_but_the_password() -> None:
    from storage.db import redact_url

    shown = redact_url(f"postgresql://me:{PASSWORD}@db.example:5432/bw?password={PASSWORD}&x=1")
    assert PASSWORD not in shown
    assert "me:" in shown and "db.example:5432/bw" in shown and "x=1" in shown
    assert "password=" in shown


@pytest.mark.postgres
def test_db_upgrade_prints_a_redacted_url(tmp_path: Path) -> None:
    """A fresh schema, the password given as a query parameter (trust auth ignores it)."""
    pytest.importorskip("psycopg")
    schema = f"bw_redact_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # pragma: no cover - the server is part of the test setup
        pytest.skip(f"PostgreSQL not reachable: {type(exc).__name__}")
    base = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    url = f"{base}?options=-csearch_path%3D{schema}&password={PASSWORD}"
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "bulletins.cli",
                "--db",
                url,
                "--log-level",
                "DEBUG",
                "db",
                "upgrade",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert "upgraded " in done.stdout and "from empty" in done.stdout
        assert PASSWORD not in done.stdout + done.stderr
        assert "password=***" in done.stdout
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
