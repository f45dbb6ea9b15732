"""Partitioned Parquet output: articles, events and mentions by day (Hive layout).

::

    OUT/articles/day=2019-11-20/part-<batch>.parquet   one row per article (body, metadata, MinHash, coding status)
    OUT/events/day=2019-11-20/part-<batch>.parquet     one row per coded event mention (the SQLite events columns)
    OUT/mentions/day=2019-11-20/part-<batch>.parquet   factual mentions by publication day (GDELT's Mentions)
    OUT/rejects/part-<batch>.parquet                   inputs that could not be used, and why
    OUT/_state.db                                      run state and checkpoints (SQLite, not data)

Articles and mentions are partitioned by the article's publication day, events by the
event's own date (the publication day when undated); ``day=unknown`` holds the rest.
The partition column is ``day`` (not ``date``, which events already have). DuckDB
(``read_parquet('OUT/events/*/*.parquet', hive_partitioning=true)``), pandas/pyarrow
(``pd.read_parquet('OUT/events')``) and Spark (``spark.read.parquet('OUT/events')``)
read it as is. Every file is written to a hidden temporary name and renamed, so a
reader never sees half a file; each batch's files are named after the batch, so a
batch rewritten after a crash replaces its own files.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from eventwatch.model import Article, Event, Reject
from eventwatch.store.events import _COLS, _row, event_key

TABLES = ("articles", "events", "mentions", "rejects")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
PART = re.compile(r"part-(?P<batch>[^/]+)\.parquet$")

_S, _I, _F = pa.string(), pa.int64(), pa.float64()
ARTICLES = pa.schema([
    ("id", _S), ("url", _S), ("title", _S), ("outlet", _S), ("source_id", _S), ("published", _S),
    ("dateline", _S), ("captions", pa.list_(_S)), ("body", _S), ("lang", _S), ("author", _S), ("kind", _S),
    ("origin", _S), ("location", _S), ("ingested_at", _S), ("minhash", pa.binary()),
    ("coded", _S), ("coded_reason", _S), ("coder_version", _S), ("events", _I),
])
_INT_COLS = {"sentence_index", "sentence_start", "sentence_end", "trigger_start", "trigger_end", "source_start",
             "source_end", "target_start", "target_end", "quad_class", "attributed_start", "attributed_end",
             "place_start", "place_end", "geonameid"}
_FLOAT_COLS = {"source_confidence", "target_confidence", "goldstein", "latitude", "longitude", "place_confidence",
               "confidence"}
EVENT_COLS = [c.strip() for c in _COLS.split(",")]
EVENTS = pa.schema([(c, _I if c in _INT_COLS else _F if c in _FLOAT_COLS else _S) for c in EVENT_COLS])
MENTIONS = pa.schema([
    ("event_key", _S), ("mention_id", _S), ("article_id", _S), ("outlet", _S), ("url", _S), ("published", _S),
    ("event_date", _S), ("sentence_index", _I), ("confidence", _F), ("modality", _S),
])
REJECTS = pa.schema([("input", _S), ("location", _S), ("stage", _S), ("reason", _S)])
SCHEMAS = {"articles": ARTICLES, "events": EVENTS, "mentions": MENTIONS, "rejects": REJECTS}


def day_of(value: str | None) -> str:
    return value[:10] if value and _DAY.match(value) else "unknown"


def article_row(a: Article, minhash: bytes | None, status: str | None, reason: str | None,
                version: str | None, n_events: int) -> dict:
    return {"id": a.id, "url": a.url, "title": a.title, "outlet": a.outlet, "source_id": a.source_id,
            "published": a.published, "dateline": a.dateline, "captions": list(a.captions), "body": a.body,
            "lang": a.lang, "author": a.author, "kind": a.kind, "origin": a.origin, "location": a.location,
            "ingested_at": a.ingested_at, "minhash": minhash, "coded": status, "coded_reason": reason,
            "coder_version": version, "events": n_events}


def event_rows(events: list[Event], version: str) -> list[dict]:
    """The events table's rows for one article's events (dedup key: day, source, target, CAMEO)."""
    seen, out = set(), []
    for e in events:
        if e.id in seen:
            continue
        seen.add(e.id)
        out.append(dict(zip(EVENT_COLS, _row(e, version, event_key(e)))))
    return out


def mention_rows(a: Article, rows: list[dict]) -> list[dict]:
    return [{"event_key": r["event_key"], "mention_id": r["id"], "article_id": a.id, "outlet": a.outlet,
             "url": a.url, "published": a.published, "event_date": r["date"], "sentence_index": r["sentence_index"],
             "confidence": r["confidence"], "modality": r["modality"]} for r in rows if r["event_key"]]


def reject_row(r: Reject) -> dict:
    return {"input": r.input, "location": r.location or "", "stage": r.stage, "reason": r.reason}


class PartWriter:
    """Writes one batch's rows as part files under ``out``; returns ``(relative path, table, rows)``."""

    def __init__(self, out: str | os.PathLike):
        self.out = Path(out)
        self.out.mkdir(parents=True, exist_ok=True)

    def write(self, batch: str, table: str, rows: list[dict], day_key) -> list[tuple[str, str, int]]:
        if not rows:
            return []
        groups: dict[str | None, list[dict]] = {}
        for r in rows:
            groups.setdefault(day_key(r) if day_key else None, []).append(r)
        written = []
        for day, group in sorted(groups.items(), key=lambda kv: kv[0] or ""):
            rel = Path(table) / (f"day={day}" if day is not None else "") / f"part-{batch}.parquet"
            self._atomic(rel, pa.Table.from_pylist(group, schema=SCHEMAS[table]))
            written.append((rel.as_posix(), table, len(group)))
        return written

    def _atomic(self, rel: Path, table: pa.Table) -> None:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    def part_files(self) -> list[str]:
        """Every part file and leftover temporary file under the output, relative."""
        out = []
        for table in TABLES:
            base = self.out / table
            if base.is_dir():
                out += [p.relative_to(self.out).as_posix() for p in base.rglob("*") if p.is_file()]
        return sorted(out)

    def remove_uncommitted(self, committed: set[str]) -> int:
        """Delete part files no committed batch lists (written before a crash) and temporary files."""
        n = 0
        for rel in self.part_files():
            if rel not in committed:
                (self.out / rel).unlink(missing_ok=True)
                n += 1
        return n


def read_rows(path: str | os.PathLike) -> list[dict]:
    return pq.read_table(path).to_pylist()
