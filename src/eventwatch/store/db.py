"""SQLite connection, pragmas, versioned migrations and transactions."""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

DEFAULT_DB = "eventwatch.db"


def default_path() -> str:
    return os.environ.get("EVENTWATCH_DB") or DEFAULT_DB


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def migrations() -> list[tuple[int, str, str]]:
    """``(version, name, sql)`` for every file in ``store/migrations``, in order."""
    out = []
    for entry in resources.files("eventwatch.store").joinpath("migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            out.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    return sorted(out)


def _statements(sql: str):
    """The statements of a migration script, one by one (trigger bodies kept whole).

    ``executescript`` would commit the caller's transaction first, so scripts are run
    statement by statement inside one.
    """
    buf = ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                yield buf
            buf = ""
    if buf.strip() and any(x.strip() and not x.strip().startswith("--") for x in buf.splitlines()):
        yield buf  # an unterminated last statement: let SQLite report it


class StoreError(RuntimeError):
    pass


class Database:
    """One SQLite database in WAL mode; schema upgraded on open."""

    def __init__(self, path: str | os.PathLike | None = None, readonly: bool = False):
        self.path = str(path or default_path())
        if self.path != ":memory:" and not readonly:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        if readonly:
            uri = Path(self.path).resolve().as_uri() + "?mode=ro"  # percent-encodes '?', '#', spaces
            self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        else:
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        self._depth = 0
        if not readonly:
            self._retry_locked(self._initialise)

    def _initialise(self) -> None:
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.migrate()

    def _retry_locked(self, step, wait_s: float = 30.0) -> None:
        """Run `step`, retrying while another process holds the lock it needs.

        Switching a brand-new file to WAL and upgrading a shared lock can fail at once with
        "database is locked" (SQLite skips the busy handler where waiting could deadlock), so
        several processes opening one new database together retry here instead of failing.
        """
        deadline = time.monotonic() + wait_s
        delay = 0.005
        while True:
            try:
                step()
                return
            except (sqlite3.OperationalError, StoreError) as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                time.sleep(delay)
                delay = min(delay * 2, 0.25)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Apply the migrations this database lacks, each in its own write transaction.

        The version is read again once the write lock is held, so processes opening a new
        database at the same moment apply each migration once (the others wait, then skip).
        """
        for version, name, sql in migrations():
            if version <= self.schema_version:
                continue
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                if version > self.schema_version:
                    for statement in _statements(sql):
                        self.conn.execute(statement)
                    self.conn.execute(f"PRAGMA user_version = {version}")
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise StoreError(f"migration {name} failed: {exc}") from exc

    @contextmanager
    def transaction(self):
        """A write transaction; nested uses join the outer one."""
        if self._depth == 0:
            self.conn.execute("BEGIN IMMEDIATE")
        self._depth += 1
        try:
            yield self.conn
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("ROLLBACK")
            raise
        self._depth -= 1
        if self._depth == 0:
            self.conn.execute("COMMIT")

    def optimize(self) -> None:
        """Refresh the query planner's statistics where the data changed (cheap, bounded)."""
        self.conn.execute("PRAGMA analysis_limit = 1000")
        self.conn.execute("PRAGMA optimize")

    def query(self, sql: str, params=()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params=()):
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None
