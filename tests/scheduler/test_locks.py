"""The run-due and daemon locks: a file beside SQLite, an advisory lock on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from scheduler.locks import lock_path, try_lock
from storage.db import Database


def test_second_holder_is_refused_until_the_first_lets_go(db: Database) -> None:
    with try_lock(db, "run-due") as first:
        assert first
        with try_lock(db, "run-due") as second:
            assert not second
        with try_lock(db, "daemon") as other:
            assert other  # another name, another lock
    with try_lock(db, "run-due") as again:
        assert again


def test_another_process_is_refused(db: Database) -> None:
    script = textwrap.dedent(
        f"""
        from scheduler.locks import try_lock
        from storage.db import Database
        with try_lock(Database({db.url!r}), "run-due") as taken:
            print(taken)
        """
    )
    with try_lock(db, "run-due") as taken:
        assert taken
        held = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    free = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (held.stdout.strip(), free.stdout.strip()) == ("False", "True"), held.stderr


def test_the_lock_file_is_beside_the_sqlite_file(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'data' / 'b.db'}")
    assert lock_path(db, "run-due") == tmp_path / "data" / "b.db.run-due.lock"
    db.dispose()
