"""Shared fixtures: databases on SQLite and PostgreSQL, and the project's paths.

PostgreSQL tests use the server at $BULLETINS_TEST_PG_URL (default: the local
server on 127.0.0.1:5432, database `test`), each test session in a schema of its
own, dropped at the end. Where no server answers, they skip and say so.

Property-based tests run derandomized (the same examples each run); set
HYPOTHESIS_PROFILE=explore to search new ones.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from storage.db import Database
from tests.lanes import starts_a_child_process

try:  # property-based tests: the same examples on every run, so the suite never fails at random
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("deterministic", derandomize=True, database=None)
    hypothesis_settings.register_profile("explore", derandomize=False)
    hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))
except ImportError:  # pragma: no cover - hypothesis is in the dev extra
    pass

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get(
    "BULLETINS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _pg_available() -> str | None:
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except (OperationalError, ImportError) as exc:
        return f"PostgreSQL not reachable at {PG_URL}: {type(exc).__name__}"
    return None


@pytest.fixture(scope="session")
def pg_schema_url() -> Iterator[str]:
    """A URL whose search_path is a fresh schema, dropped after the session."""
    reason = _pg_available()
    if reason:
        pytest.skip(reason)
    schema = f"bw_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _truncate_all(db: Database) -> None:
    from storage.models import Base

    with db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bulletins.db'}"


@pytest.fixture(scope="session")
def _sqlite_at_head(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-at-head") / "bulletins.db"
    Database(f"sqlite:///{path}").dispose()
    assert not path.with_name("bulletins.db-wal").exists()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test on a SQLite file and on PostgreSQL (emptied before each test)."""
    if request.param == "sqlite":
        # A copy of a file upgraded once per process: the PostgreSQL twin, too, starts
        # at the latest revision, and the upgrade is most of a short test's time.
        shutil.copyfile(request.getfixturevalue("_sqlite_at_head"), tmp_path / "bulletins.db")
        yield f"sqlite:///{tmp_path / 'bulletins.db'}"
        return
    url = request.getfixturevalue("pg_schema_url")
    db = Database(url)
    _truncate_all(db)
    db.dispose()
    yield url


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


# The fast lane (`make test-fast`: -m "not e2e and not daemon and not browser and not
# child_process") leaves out whole crawls, the scheduler's processes, Chromium and any test
# that starts another process; markers by directory or file, and `child_process` found from
# the test's code (tests/lanes.py), so that a new test is in the right lane unmarked.
_LANES = {
    "e2e": ("tests/e2e/", "tests/spikes/"),
    "daemon": (
        "tests/scheduler/test_daemon.py",
        "tests/scheduler/test_daemon_jobs.py",
        "tests/scheduler/test_child.py",
        "tests/scheduler/test_pool.py",
        "tests/scheduler/test_run_due.py",
        "tests/scheduler/test_health_e2e.py",
        "tests/config/test_daemon_reload.py",
    ),
    "browser": ("tests/browser/", "tests/web/test_browser.py"),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        where = Path(str(item.path)).resolve().relative_to(ROOT).as_posix()
        for marker, prefixes in _LANES.items():
            if where.startswith(prefixes):
                item.add_marker(getattr(pytest.mark, marker))
        if starts_a_child_process(item):
            item.add_marker(pytest.mark.child_process)
