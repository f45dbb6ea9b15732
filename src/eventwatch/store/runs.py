"""Runs and checkpoints (resumable ingest and Parquet runs), Parquet bookkeeping and merge."""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

from eventwatch.store.db import now
from eventwatch.store.events import _COLS


@dataclass(slots=True)
class InputProgress:
    size: int | None
    mtime_ns: int | None
    records: int = 0
    done: bool = False


@dataclass(slots=True)
class Run:
    id: str
    resumed: bool
    batches: int
    counts: dict


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)


class RunsMixin:
    conn: sqlite3.Connection

    # --- runs and checkpoints ----------------------------------------------------------
    def open_run(self, command: str, key: str, args: dict, restart: bool = False) -> Run:
        """The unfinished run with this key (resumed), or a new one. ``restart`` abandons the old one."""
        with self.transaction():
            row = self.conn.execute(
                "SELECT id, batches, counts FROM runs WHERE key = ? AND status = 'running' "
                "ORDER BY started_at DESC LIMIT 1", (key,)).fetchone()
            if row is not None and not restart:
                return Run(row["id"], True, row["batches"], json.loads(row["counts"]))
            if row is not None:
                self.conn.execute("UPDATE runs SET status = 'abandoned', updated_at = ? WHERE key = ? "
                                  "AND status = 'running'", (now(), key))
            rid, t = new_run_id(), now()
            self.conn.execute(
                "INSERT INTO runs (id, key, command, args, status, started_at, updated_at) "
                "VALUES (?, ?, ?, ?, 'running', ?, ?)", (rid, key, command, json.dumps(args), t, t))
        return Run(rid, False, 0, {})

    def run_progress(self, run_id: str) -> dict[str, InputProgress]:
        return {r["input"]: InputProgress(r["size"], r["mtime_ns"], r["records"], bool(r["done"]))
                for r in self.conn.execute("SELECT * FROM run_inputs WHERE run_id = ?", (run_id,))}

    def checkpoint(self, run_id: str, inputs: dict[str, InputProgress], batches: int, counts: dict) -> None:
        """Record progress (call inside the transaction that commits the batch)."""
        self.conn.executemany(
            "INSERT INTO run_inputs (run_id, input, size, mtime_ns, records, done) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (run_id, input) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, "
            "records = excluded.records, done = excluded.done",
            [(run_id, k, p.size, p.mtime_ns, p.records, int(p.done)) for k, p in inputs.items()])
        self.conn.execute("UPDATE runs SET batches = ?, counts = ?, updated_at = ? WHERE id = ?",
                          (batches, json.dumps(counts), now(), run_id))

    def finish_run(self, run_id: str, counts: dict) -> None:
        t = now()
        with self.transaction():
            self.conn.execute("UPDATE runs SET status = 'finished', counts = ?, updated_at = ?, finished_at = ? "
                              "WHERE id = ?", (json.dumps(counts), t, t, run_id))

    def list_runs(self) -> list[dict]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM runs ORDER BY started_at")]

    # --- Parquet output bookkeeping ------------------------------------------------------
    def parquet_seen(self, ids: list[str]) -> set[str]:
        seen: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            seen.update(r[0] for r in self.conn.execute(f"SELECT id FROM parquet_articles WHERE id IN ({marks})", chunk))
        return seen

    def add_parquet_batch(self, batch: str, ids: list[str], parts: list[tuple[str, str, int]]) -> None:
        """Articles and part files ``(path, table, rows)`` of one committed batch (inside a transaction)."""
        self.conn.executemany("INSERT OR IGNORE INTO parquet_articles (id, batch) VALUES (?, ?)",
                              [(i, batch) for i in ids])
        self.conn.executemany("INSERT OR REPLACE INTO parquet_parts (path, batch, tbl, rows) VALUES (?, ?, ?, ?)",
                              [(p, batch, t, n) for p, t, n in parts])

    def parquet_part_paths(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT path FROM parquet_parts")}

    # --- merging Parquet batches -----------------------------------------------------------
    def batch_merged(self, batch: str) -> bool:
        return self.conn.execute("SELECT 1 FROM merged_batches WHERE batch = ?", (batch,)).fetchone() is not None

    def mark_merged(self, batch: str, source: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO merged_batches (batch, source, merged_at) VALUES (?, ?, ?)",
                          (batch, source, now()))

    def put_event_rows(self, article_id: str, rows: list[dict], status: str, reason: str | None,
                       version: str) -> set[str]:
        """Replace an article's events with rows in the events table's own columns (inside a
        transaction); returns the dedup keys touched, for ``refresh_groups``."""
        cols = [c.strip() for c in _COLS.split(",")]
        old = {r[0] for r in self.conn.execute(
            "SELECT DISTINCT event_key FROM events WHERE article_id = ? AND event_key IS NOT NULL", (article_id,))}
        self.conn.execute("DELETE FROM events WHERE article_id = ? AND parent IS NOT NULL", (article_id,))
        self.conn.execute("DELETE FROM events WHERE article_id = ?", (article_id,))
        self.conn.executemany(f"INSERT OR IGNORE INTO events ({_COLS}) VALUES ({','.join('?' * len(cols))})",
                              [[r.get(c) for c in cols] for r in rows])
        self.conn.execute(
            "INSERT INTO coded_articles (article_id, status, reason, events, coder_version, coded_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET status = excluded.status, "
            "reason = excluded.reason, events = excluded.events, coder_version = excluded.coder_version, "
            "coded_at = excluded.coded_at", (article_id, status, reason, len(rows), version, now()))
        return old | {r["event_key"] for r in rows if r.get("event_key")}

    def ids_to_code(self, recode: bool = False) -> list[str]:
        """Ids of the articles ``articles_to_code`` would return, oldest first (ids only: cheap)."""
        where = "" if recode else " WHERE id NOT IN (SELECT article_id FROM coded_articles)"
        return [r[0] for r in self.conn.execute(f"SELECT id FROM articles{where} ORDER BY rowid")]
