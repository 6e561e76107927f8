"""Engines, sessions and schema upgrades.

SQLite is the default (a file, WAL journal, a busy timeout so concurrent
writers wait instead of failing); PostgreSQL is used by URL. The schema is owned
by Alembic: `open_database` upgrades it on first use.

A URL is checked before anything is opened (`check_url`: it parses, names SQLite
or PostgreSQL, and its driver is installed, else `DatabaseUrlError`); a database
that cannot be opened or reached raises `DatabaseUnavailable`. Both carry one
line that names the database by its redacted URL: a password, in the user info
or as a ``password``/``sslpassword`` query parameter, is never shown (`redact_url`).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
SUPPORTED_BACKENDS = ("sqlite", "postgresql")
# Query parameters that carry a secret (libpq's password and sslpassword, and the like).
SECRET_PARAMETER = re.compile(r"pass|secret|token|credential", re.IGNORECASE)
_upgrade_lock = threading.Lock()


class DatabaseUrlError(ValueError):
    """The database URL cannot be used: empty, unparseable, unsupported, driver missing."""


class DatabaseUnavailable(Exception):
    """The database could not be opened or reached (one line, the URL redacted)."""


def _parse(url: str) -> URL:
    if not url.strip():
        raise DatabaseUrlError("the database URL is empty")
    try:
        return make_url(url)
    except (ArgumentError, ValueError, TypeError):
        raise DatabaseUrlError(
            f"not a database URL: {redact_url(url)} "
            "(expected e.g. sqlite:///bulletins.db or postgresql://user@host/db)"
        ) from None


def normalize_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    parsed = _parse(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def check_url(url: str) -> str:
    """The normalized URL, or `DatabaseUrlError` saying in one line why it cannot be used."""
    parsed = make_url(normalize_url(url))
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise DatabaseUrlError(
            f"unknown database dialect {backend!r} in {redact_url(url)} (use sqlite or postgresql)"
        )
    try:
        dialect = parsed.get_dialect()
    except NoSuchModuleError:
        raise DatabaseUrlError(
            f"unknown database driver {parsed.drivername!r} in {redact_url(url)}"
        ) from None
    try:
        dialect.import_dbapi()
    except ImportError as exc:
        hint = " (pip install 'bulletin-watch[postgresql]')" if backend == "postgresql" else ""
        raise DatabaseUrlError(
            f"the database driver for {parsed.drivername!r} is not installed: "
            f"no module {exc.name or exc}{hint}"
        ) from None
    return parsed.render_as_string(hide_password=False)


def _secret_parameters(parsed: URL) -> list[str]:
    return [key for key in parsed.query if SECRET_PARAMETER.search(key)]


def url_has_secret(url: str) -> bool:
    """Whether `url` carries a password (user info or a secret query parameter)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError, TypeError):
        return True  # unparseable: assume the worst
    return parsed.password is not None or bool(_secret_parameters(parsed))


def redact_url(url: str) -> str:
    """`url` with its password and secret query parameters replaced by ``***``."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError, TypeError):
        text = re.sub(r"(://[^:/@?#]*:)[^@/?#]*@", r"\1***@", url)
        return re.sub(
            r"([?&][^=&]*(?:pass|secret|token|credential)[^=&]*=)[^&]*", r"\1***", text, flags=re.I
        )
    if parsed.password is not None:
        parsed = parsed.set(password="***")
    secret = _secret_parameters(parsed)
    if secret:
        parsed = parsed.update_query_dict({key: "***" for key in secret})
    return parsed.render_as_string(hide_password=False).replace("%2A%2A%2A", "***")


def is_sqlite(engine_or_url: Engine | str) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin_immediate(conn: Any) -> None:
    # A deferred transaction that later writes can fail with "database is locked"
    # without waiting; taking the write lock at BEGIN makes busy_timeout apply.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_query_only(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def _postgresql_read_only(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.read_only = True


def create_db_engine(url: str, *, read_only: bool = False, **kwargs: Any) -> Engine:
    """An engine for `url`. `read_only` (the web server): SQLite transactions are
    plain readers that never take the write lock, and both backends refuse writes."""
    url = normalize_url(url)
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:" and not database.startswith("file:"):
            directory = Path(database).parent
            try:
                directory.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailable(
                    f"cannot open the database {redact_url(url)}: cannot create the directory "
                    f"{directory}: {exc.strerror or exc}"
                ) from None
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling is switched off so BEGIN is ours.
        event.listen(
            engine,
            "connect",
            lambda dbapi_conn, _rec: setattr(dbapi_conn, "isolation_level", None),
        )
        if read_only:
            event.listen(engine, "connect", _sqlite_query_only)
        else:
            event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    if read_only:
        event.listen(engine, "connect", _postgresql_read_only)
    return engine


def alembic_config(engine: Engine) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str | None:
    script = ScriptDirectory(str(MIGRATIONS))
    return script.get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> bool:
    """Bring the schema to the newest revision; True when anything was applied."""
    with _upgrade_lock:
        if current_revision(engine) == head_revision():
            return False
        command.upgrade(alembic_config(engine), "head")
        return True


class Database:
    """An engine and its session factory; the one object jobs and commands hold."""

    def __init__(
        self,
        url: str,
        *,
        auto_upgrade: bool = True,
        read_only: bool = False,
        **engine_kwargs: Any,
    ) -> None:
        self.url = check_url(url)
        self.engine = create_db_engine(self.url, read_only=read_only, **engine_kwargs)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        if auto_upgrade:
            # A read-only engine cannot upgrade: a writer does it, briefly.
            writer = create_db_engine(self.url) if read_only else self.engine
            try:
                upgrade(writer)
            except SQLAlchemyError as exc:
                self.engine.dispose()
                raise DatabaseUnavailable(unavailable_message(self.url, exc)) from exc
            finally:
                if writer is not self.engine:
                    writer.dispose()

    @property
    def display_url(self) -> str:
        """The URL with any password replaced by ``***``: safe to print."""
        return redact_url(self.url)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.engine)

    def session(self) -> Session:
        return self.sessions()

    def dispose(self) -> None:
        self.engine.dispose()


def unavailable_message(url: str, exc: BaseException) -> str:
    """One line: which database (redacted) could not be opened, and the driver's reason."""
    reason = getattr(exc, "orig", None) or exc
    first = next((line.strip() for line in str(reason).splitlines() if line.strip()), "")
    parsed = make_url(url)
    secrets = [parsed.password or ""] + [
        value
        for key in _secret_parameters(parsed)
        for value in (
            parsed.query[key] if isinstance(parsed.query[key], tuple) else [parsed.query[key]]
        )
    ]
    for secret in filter(None, secrets):
        first = first.replace(str(secret), "***")
    return f"cannot open the database {redact_url(url)}: {first or type(reason).__name__}"


def open_database(url: str, **kwargs: Any) -> Database:
    return Database(url, **kwargs)
