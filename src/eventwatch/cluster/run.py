"""Cluster mode: sources → (extract, MinHash, code on workers) → partitioned Parquet, resumable.

``process_batch`` is the one stage the workers run: a pure function over a list of
tagged raw documents that extracts each (``archive.ingest.prepare``) and codes the
extracted articles (``events.pipeline.code_batch``). The driver (``run_parquet``)
streams the inputs, lets the executor move batches, drops articles already written
(exact duplicates: same id) and, every ``flush_articles`` new articles, writes one set
of part files and commits it in ``OUT/_state.db`` together with the checkpoint. A
killed run, started again with the same command, first deletes part files no commit
lists, then goes on from the last commit: batches and sets are cut from the same
stream at the same places and named by number, so nothing is lost and nothing is
written twice.
Near-duplicates are linked when the Parquet output is merged into SQLite (``merge``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from eventwatch import engine
from eventwatch.cluster import parquet as pqo
from eventwatch.cluster.stream import Checkpointer, InputStream, Tagged
from eventwatch.extract import Defaults
from eventwatch.model import Reject, Skip
from eventwatch.sources import DEFAULT_MAX_BYTES
from eventwatch.store import Store, now

STATE_DB = "_state.db"


@dataclass
class ParquetOptions:
    defaults: Defaults = field(default_factory=Defaults)
    max_bytes: int = DEFAULT_MAX_BYTES
    batch_size: int = 64  # documents per batch (one task on a worker)
    flush_articles: int = 2000  # new articles per set of part files (and per checkpoint)
    code: bool = True
    restart: bool = False


@dataclass
class ParquetReport:
    documents: int = 0
    stored: int = 0
    already_stored: int = 0
    non_english: int = 0
    skipped: int = 0
    rejected: int = 0
    events: int = 0
    mentions: int = 0
    coded: int = 0
    failed: int = 0
    batches: int = 0
    files: int = 0
    removed_uncommitted: int = 0
    run_id: str | None = None
    resumed: bool = False
    files_skipped: int = 0
    records_skipped: int = 0
    bytes_read: int = 0
    total_bytes: int = 0
    rejects: list[Reject] = field(default_factory=list)

    COUNTS = ("documents", "stored", "already_stored", "non_english", "skipped", "rejected", "events", "mentions",
              "coded", "failed")

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.COUNTS}


def warm() -> None:
    from eventwatch.events.pipeline import warm as warm_coder

    warm_coder()


def process_batch(batch: list[Tagged], defaults: Defaults = Defaults(), code: bool = True) -> list[tuple]:
    """Extract and code one batch (pure). Returns ``(input, seq, result, coded)`` per item, where
    result is a ``Reject``, a ``Skip``, ``(Article, minhash)`` or None (end of an input)."""
    from eventwatch.archive.ingest import prepare
    from eventwatch.events.pipeline import Coded, code_batch

    out = []
    for t in batch:
        res = None if t.item is None else prepare(t.item, defaults)
        if isinstance(res, tuple):
            res = (res[0], res[1])  # the shingles stay on the worker
        out.append([t.input, t.seq, res, None])
    if code:
        arts = [r[2][0] for r in out if isinstance(r[2], tuple)]
        try:
            coded = {c.article_id: c for c in code_batch(arts)} if arts else {}
        except Exception as exc:  # noqa: BLE001 -- the batch is kept, its coding marked failed
            coded = {a.id: Coded(a.id, [], "failed", f"coding failed: {type(exc).__name__}: {exc}") for a in arts}
        for r in out:
            if isinstance(r[2], tuple):
                r[3] = coded.get(r[2][0].id)
    return [tuple(r) for r in out]


def run_parquet(paths: list[str], out: str | os.PathLike, executor: engine.Executor,
                options: ParquetOptions = ParquetOptions(),
                on_batch: Callable[[ParquetReport], None] | None = None) -> ParquetReport:
    """Process ``paths`` into partitioned Parquet under ``out`` (resuming an interrupted run)."""
    from eventwatch.archive.ingest import run_key
    from eventwatch.events.pipeline import CODER_VERSION

    out = Path(out)
    writer = pqo.PartWriter(out)
    state = Store(out / STATE_DB)
    report = ParquetReport()
    try:
        d = options.defaults
        args = {"date": d.published, "outlet": d.outlet, "max_bytes": options.max_bytes,
                "batch_size": options.batch_size, "code": options.code}
        run = state.open_run("parquet", run_key("parquet", paths, args), {"paths": paths, **args}, options.restart)
        report.run_id, report.resumed = run.id, run.resumed
        report.removed_uncommitted = writer.remove_uncommitted(state.parquet_part_paths())
        stream = InputStream(paths, options.max_bytes, state.run_progress(run.id))
        report.total_bytes = stream.total_bytes
        marks = Checkpointer(stream)
        seq = run.batches
        stage = partial(process_batch, defaults=d, code=options.code)
        pending = _Pending()
        for results in executor.map(stage, engine.chunks(stream, options.batch_size), setup=warm if options.code else None):
            _collect(results, state, report, CODER_VERSION, pending)
            for input_, n, res, _ in results:
                marks.committed(input_, n, res is None)
            report.batches += 1
            report.files_skipped, report.records_skipped = stream.files_skipped, stream.records_skipped
            report.bytes_read = stream.bytes_read
            if len(pending.arts) >= options.flush_articles:
                seq = _flush(f"{run.id}-{seq:07d}", pending, writer, state, run, marks, report)
                pending = _Pending()
            if on_batch:
                on_batch(report)
        if pending.items or marks.pending:
            seq = _flush(f"{run.id}-{seq:07d}", pending, writer, state, run, marks, report)
        state.finish_run(run.id, _sum(run.counts, report))
    finally:
        state.close()
    return report


def _sum(before: dict, report: ParquetReport) -> dict:
    return {k: before.get(k, 0) + v for k, v in report.as_dict().items()}


@dataclass
class _Pending:
    """Rows collected since the last flush."""

    arts: list = field(default_factory=list)
    events: list = field(default_factory=list)
    mentions: list = field(default_factory=list)
    rejects: list = field(default_factory=list)
    ids: set = field(default_factory=set)
    items: int = 0


def _flush(name: str, p: _Pending, writer: pqo.PartWriter, state: Store, run, marks: Checkpointer,
           report: ParquetReport) -> int:
    """Write the pending rows as one set of part files, then commit them with the checkpoint;
    returns the number of the next set."""
    parts = writer.write(name, "articles", p.arts, lambda r: pqo.day_of(r["published"]))
    parts += writer.write(name, "events", p.events, lambda r: r.pop("_day"))
    parts += writer.write(name, "mentions", p.mentions, lambda r: pqo.day_of(r["published"]))
    parts += writer.write(name, "rejects", [pqo.reject_row(r) for r in p.rejects], None)
    report.files += len(parts)
    seq = int(name.rsplit("-", 1)[1]) + 1
    with state.transaction():
        state.add_parquet_batch(name, [a["id"] for a in p.arts], parts)
        for r in p.rejects:
            state.record_reject(r)
        state.checkpoint(run.id, marks.take(), seq, _sum(run.counts, report))
    return seq


def _collect(results, state: Store, report: ParquetReport, version: str, pending: _Pending) -> None:
    """Add one batch's new articles, their events and mentions, and its rejects to ``pending``."""
    found = [r[2][0].id for r in results if isinstance(r[2], tuple)]
    seen = state.parquet_seen(found) | pending.ids
    arts, events, mentions, rejects = pending.arts, pending.events, pending.mentions, pending.rejects
    pending.items += len(results)
    for _, _, res, coded in results:
        if res is None:
            continue
        if isinstance(res, Skip):
            report.skipped += 1
        elif isinstance(res, Reject):
            report.rejected += 1
            report.rejects.append(res) if len(report.rejects) < 1000 else None
            rejects.append(res)
        else:
            art, sig = res
            report.documents += 1
            if art.id in seen:
                report.already_stored += 1
                continue
            seen.add(art.id)
            pending.ids.add(art.id)
            art.ingested_at = art.ingested_at or now()
            report.stored += 1
            if art.lang not in ("en", "und", None):
                report.non_english += 1
            status, reason, evs = (coded.status, coded.reason, coded.events) if coded else (None, None, [])
            rows = pqo.event_rows(evs, version)
            arts.append(pqo.article_row(art, sig, status, reason, version if coded else None, len(rows)))
            if coded:
                report.coded += 1
                report.failed += coded.status == "failed"
            day = pqo.day_of(art.published)
            for r in rows:
                r["_day"] = pqo.day_of(r["date"]) if r["date"] else day
            events += rows
            new_mentions = pqo.mention_rows(art, rows)
            mentions += new_mentions
            report.events += len(rows)
            report.mentions += len(new_mentions)

