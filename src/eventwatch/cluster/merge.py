"""Merge a Parquet output directory into an eventwatch SQLite database (for the UI, search, exports).

Batch by batch, oldest first, each in one transaction that also records the batch as
merged: an interrupted merge resumes, a repeated one adds nothing. Articles go
through ``archive.ingest.store_article``, so near-duplicates are linked against
everything already in the database; an article's events replace any it had.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from eventwatch.archive import neardup
from eventwatch.archive.ingest import IngestReport, store_article
from eventwatch.cluster import parquet as pqo
from eventwatch.model import Article, Reject
from eventwatch.store import Store


@dataclass
class MergeReport:
    batches: int = 0
    already_merged: int = 0
    articles: int = 0
    new_articles: int = 0
    near_duplicates: int = 0
    events: int = 0
    rejects: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def batches_in(out: str | os.PathLike) -> dict[str, dict[str, list[Path]]]:
    """``{batch: {table: [part files]}}`` found under the output directory, batches in name order."""
    out = Path(out)
    found: dict[str, dict[str, list[Path]]] = defaultdict(lambda: defaultdict(list))
    for table in pqo.TABLES:
        base = out / table
        if not base.is_dir():
            continue
        for p in sorted(base.rglob("part-*.parquet")):
            m = pqo.PART.search(p.name)
            if m:
                found[m["batch"]][table].append(p)
    return {b: dict(found[b]) for b in sorted(found)}


def _article(row: dict) -> Article:
    fields = {k: row[k] for k in Article.__slots__ if k in row}
    fields["captions"] = list(fields.get("captions") or [])
    return Article(**fields)


def merge(out: str | os.PathLike, store: Store, on_batch: Callable[[MergeReport], None] | None = None) -> MergeReport:
    report = MergeReport()
    source = str(Path(out).resolve())
    window, level = store.dedup_settings()
    recent = neardup.RecentShingles()
    for batch, tables in batches_in(out).items():
        if store.batch_merged(batch):
            report.already_merged += 1
            continue
        arts = [r for p in tables.get("articles", []) for r in pqo.read_rows(p)]
        by_article = defaultdict(list)
        for p in tables.get("events", []):
            for r in pqo.read_rows(p):
                r.pop("day", None)
                by_article[r["article_id"]].append(r)
        ingest_report = IngestReport()
        keys: set[str] = set()
        with store.transaction():
            for row in arts:
                art = _article(row)
                store_article(store, art, row.get("minhash"), report=ingest_report, recent=recent)
                if row.get("coded"):
                    keys |= store.put_event_rows(art.id, by_article.get(art.id, []), row["coded"],
                                                 row.get("coded_reason"), row.get("coder_version") or "")
                    report.events += len(by_article.get(art.id, []))
            for p in tables.get("rejects", []):
                for r in pqo.read_rows(p):
                    store.record_reject(Reject(r["input"], r["reason"], r["location"] or None, r["stage"]))
                    report.rejects += 1
            if (window, level) == ("day", "full"):
                store.refresh_groups(keys)
            store.mark_merged(batch, source)
        report.batches += 1
        report.articles += len(arts)
        report.new_articles += ingest_report.stored
        report.near_duplicates += ingest_report.near_duplicates
        if on_batch:
            on_batch(report)
    if (window, level) != ("day", "full") and report.batches:
        with store.transaction():  # the Parquet keys are (day, full code): recompute for this database's key
            store.set_dedup(window, level)
    return report
