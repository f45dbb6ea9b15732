"""Ingest: sources → extract → archive, in transactional batches.

Extraction (and the MinHash signature) run in ``prepare``, a pure function that
may run in worker processes; only this module's ``ingest`` touches the store.
Each batch is one transaction: killing the process loses at most the batch in
flight, and because an article's id is the hash of its text a re-run stores
exactly what is missing. Each batch also checkpoints, per input file, the items it
committed (``store.runs``): the same command after a crash resumes the unfinished run
without reading finished files or re-extracting committed records.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import BinaryIO

from eventwatch import engine
from eventwatch.archive import neardup
from eventwatch.cluster.stream import Checkpointer, InputStream, Tagged
from eventwatch.extract import Defaults, extract
from eventwatch.model import Article, RawDoc, Reject, Skip
from eventwatch.sources import DEFAULT_MAX_BYTES
from eventwatch.store import Store, now


@dataclass
class IngestOptions:
    defaults: Defaults = field(default_factory=Defaults)
    max_bytes: int = DEFAULT_MAX_BYTES
    workers: int = 1
    batch_size: int = 200
    engine: str = "local"  # local | ray
    address: str | None = None  # an existing Ray cluster
    checkpoint: bool = True  # record progress per input; resume an unfinished run of the same command
    restart: bool = False  # abandon an unfinished run of the same command and start over


@dataclass
class IngestReport:
    documents: int = 0
    stored: int = 0
    already_stored: int = 0
    near_duplicates: int = 0
    non_english: int = 0
    skipped: int = 0
    rejects: list[Reject] = field(default_factory=list)
    stored_ids: list[str] = field(default_factory=list)
    run_id: str | None = None
    resumed: bool = False
    files_skipped: int = 0  # finished by an interrupted run of the same command
    records_skipped: int = 0  # committed by it in files it had not finished
    bytes_read: int = 0
    total_bytes: int = 0

    @property
    def rejected(self) -> int:
        return len(self.rejects)

    def as_dict(self) -> dict:
        return {
            "documents": self.documents,
            "stored": self.stored,
            "already_stored": self.already_stored,
            "near_duplicates": self.near_duplicates,
            "non_english": self.non_english,
            "skipped": self.skipped,
            "rejected": self.rejected,
        }


Prepared = tuple[Article, bytes | None, frozenset[str]]


def prepare(item: RawDoc | Reject | Skip, defaults: Defaults = Defaults()) -> Prepared | Reject | Skip:
    """Extract one raw document; compute its shingles and MinHash signature (pure)."""
    if not isinstance(item, RawDoc):
        return item
    try:
        art = extract(item, defaults)
    except Exception as exc:  # noqa: BLE001 -- one bad document never stops a batch
        return Reject(item.origin, f"extraction failed: {type(exc).__name__}: {exc}", item.location, "extract")
    if isinstance(art, Reject):
        return art
    sh = frozenset(neardup.shingles(art.body))
    return art, neardup.signature(sh), sh


def prepare_tagged(t: Tagged, defaults: Defaults = Defaults()) -> tuple[str | None, int, object]:
    """``prepare`` for a tagged item: ``(input, seq, result)`` (result None at the end of an input)."""
    return t.input, t.seq, None if t.item is None else prepare(t.item, defaults)


def run_key(command: str, paths: Iterable[str], options: dict) -> str:
    """Identity of a command: the same inputs and options resume the same run."""
    ident = {"command": command, "paths": [os.path.abspath(p) for p in paths], **options}
    return hashlib.sha256(json.dumps(ident, sort_keys=True, default=str).encode()).hexdigest()


def ingest(
    paths: Iterable[str],
    store: Store,
    options: IngestOptions = IngestOptions(),
    on_item: Callable[[IngestReport, object], None] | None = None,
    stdin: BinaryIO | None = None,
) -> IngestReport:
    report = IngestReport()
    recent = neardup.RecentShingles()
    paths = list(paths)
    run = None
    if options.checkpoint and "-" not in paths:
        d = options.defaults
        key = run_key("ingest", paths, {"date": d.published, "outlet": d.outlet, "max_bytes": options.max_bytes})
        run = store.open_run("ingest", key, {"paths": paths, "date": d.published, "outlet": d.outlet},
                             options.restart)
        report.run_id, report.resumed = run.id, run.resumed
    stream = InputStream(paths, options.max_bytes, store.run_progress(run.id) if run else None, stdin=stdin)
    report.total_bytes = stream.total_bytes
    marks = Checkpointer(stream)
    batches = run.batches if run else 0
    ex = engine.get_executor(options.engine, options.workers, options.address)
    try:
        results = engine.imap(partial(prepare_tagged, defaults=options.defaults), stream,
                              chunksize=8 if options.engine == "local" else 32, executor=ex)
        for batch in engine.chunks(results, options.batch_size):
            with store.transaction():
                for input_, seq, res in batch:
                    marks.committed(input_, seq, res is None)
                    if res is not None:
                        _record(store, res, report, recent, on_item, stream)
                batches += 1
                report.files_skipped, report.records_skipped = stream.files_skipped, stream.records_skipped
                if run:
                    store.checkpoint(run.id, marks.take(), batches, _add_counts(run.counts, report))
    finally:
        ex.close()
    report.files_skipped, report.records_skipped = stream.files_skipped, stream.records_skipped
    if run:
        store.finish_run(run.id, _add_counts(run.counts, report))
    if report.stored:
        store.optimize()
    return report


def _add_counts(before: dict, report: IngestReport) -> dict:
    now_ = report.as_dict()
    return {k: before.get(k, 0) + v for k, v in now_.items()}


def _record(store: Store, res, report: IngestReport, recent, on_item, stream: InputStream) -> None:
    report.bytes_read = stream.bytes_read
    if isinstance(res, Skip):
        report.skipped += 1
    elif isinstance(res, Reject):
        report.rejects.append(res)
        store.record_reject(res)
    else:
        report.documents += 1
        store_article(store, *res, report=report, recent=recent)
    if on_item:
        on_item(report, res)


def store_article(
    store: Store,
    art: Article,
    sig: bytes | None,
    sh: frozenset[str] | None = None,
    report: IngestReport | None = None,
    recent: neardup.RecentShingles | None = None,
) -> None:
    """Store one prepared article (or fill metadata of the stored copy); link near-duplicates."""
    report = report if report is not None else IngestReport()
    if store.has_article(art.id):
        store.add_article(art)
        report.already_stored += 1
        return
    keys = neardup.band_keys(sig) if sig else []
    if keys:
        if sh is None:
            sh = frozenset(neardup.shingles(art.body))
        cands = []
        for rank, cand in enumerate(store.band_candidates(keys)):
            est = neardup.estimate(sig, cand["minhash"]) if cand["minhash"] else 0.0
            if est >= neardup.ESTIMATE_FLOOR:
                cached = recent.get(cand["id"]) if recent is not None else None
                cands.append((-est, rank, cand, cached))
        # Verify the likeliest first (the order never depends on the shingle cache, so a run resumed
        # after a crash, with a cold cache, links the same clusters); cached shingles spare a body read.
        for _, _, cand, cand_sh in sorted(cands, key=lambda c: c[:2]):
            if cand_sh is None:
                cand_sh = neardup.shingles(store.article_body(cand["id"]) or "")
            if neardup.similar(sh, cand_sh):
                art.duplicate_of = cand["duplicate_of"] or cand["id"]
                report.near_duplicates += 1
                break
    art.ingested_at = now()
    store.add_article(art, sig)
    if keys:
        store.add_bands(art.id, keys)
        if recent is not None:
            recent.put(art.id, sh)
    report.stored += 1
    report.stored_ids.append(art.id)
    if art.lang not in ("en", "und", None):
        report.non_english += 1
