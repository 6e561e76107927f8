"""Issue 11, D20: a read-only database is one clear error (exit 1) before anything is fetched.

The tests run as root here, where a chmod'ed file is still writable, so the SQLite
database is opened read-only by its URI (``mode=ro``, the probe's reproduction);
where the tests do not run as root, a file and directory without write permission
are tried too. On PostgreSQL the database is the crawl's schema, reached by a role
that may only SELECT.
"""

from __future__ import annotations

import os
import stat
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from replica import ReplicaServer, sources_config
from storage.db import Database
from tests.conftest import PG_URL
from tests.e2e.conftest import run_cli, write_config

pytestmark = pytest.mark.e2e

COMMANDS = [("crawl", "--no-deliver"), ("run-due", "--no-deliver"), ("daemon",)]


@pytest.fixture
def replica() -> Iterator[ReplicaServer]:
    with ReplicaServer(hang_seconds=5) as server:
        yield server


def created(path: Path) -> Path:
    Database(f"sqlite:///{path}").dispose()
    return path


def sqlite_read_only_urls(tmp_path: Path) -> list[tuple[str, str]]:
    """(URL, what the error names) for each read-only SQLite database this user can make."""
    ro = created(tmp_path / "ro.db")
    urls = [(f"sqlite:///file:{ro}?mode=ro&uri=true", str(ro))]
    if os.geteuid() != 0:
        locked_dir = tmp_path / "locked"
        locked_dir.mkdir()
        locked = created(locked_dir / "locked.db")
        locked.chmod(stat.S_IRUSR)
        locked_dir.chmod(stat.S_IRUSR | stat.S_IXUSR)
        urls.append((f"sqlite:///{locked}", str(locked)))
    return urls


def assert_one_clear_error(result: subprocess.CompletedProcess[str], names: str) -> None:
    assert result.returncode == 1, result.stderr
    stderr = result.stderr
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "read-only" in lines[0] and names in lines[0], lines[0]


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_read_only_sqlite_database_stops_the_command_before_any_fetch(
    tmp_path: Path, replica: ReplicaServer, command: tuple[str, ...]
) -> None:
    for url, names in sqlite_read_only_urls(tmp_path):
        config = write_config(
            tmp_path / "bulletins.yaml", database=url, sources=sources_config(replica.url)[:2]
        )
        result = run_cli(config, *command, timeout=90)
        assert_one_clear_error(result, names)
        assert replica.requests == []


@pytest.fixture
def select_only_url(pg_schema_url: str) -> Iterator[str]:
    """The test schema, with the current tables, reached by a role that may only SELECT."""
    Database(pg_schema_url).dispose()
    role = f"bw_ro_{uuid.uuid4().hex[:10]}"
    schema = pg_schema_url.rsplit("%3D", 1)[1]
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        conn.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"'))
        conn.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"'))
    try:
        yield pg_schema_url.replace("://postgres@", f"://{role}@", 1)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP OWNED BY "{role}"'))
            conn.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_postgresql_role_that_may_only_select_stops_the_command_before_any_fetch(
    tmp_path: Path, replica: ReplicaServer, select_only_url: str, command: tuple[str, ...]
) -> None:
    assert "://postgres@" in PG_URL  # the role replaces this user in the URL
    config = write_config(
        tmp_path / "bulletins.yaml",
        database=select_only_url,
        sources=sources_config(replica.url)[:2],
    )
    result = run_cli(config, *command, timeout=90)
    assert_one_clear_error(result, "permission denied")
    assert replica.requests == []
