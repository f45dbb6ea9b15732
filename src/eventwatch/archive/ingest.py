"""Ingest: sources → extract → archive, in transactional batches.

Extraction (and the MinHash signature) run in ``prepare``, a pure function that
may run in worker processes; only this module's ``ingest`` touches the store.
Each batch is one transaction: killing the process loses at most the batch in
flight, and because an article's id is the hash of its text a re-run stores
exactly what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import BinaryIO

from eventwatch import engine
from eventwatch.archive import neardup
from eventwatch.extract import Defaults, extract
from eventwatch.model import Article, RawDoc, Reject, Skip
from eventwatch.sources import DEFAULT_MAX_BYTES, iter_inputs
from eventwatch.store import Store, now


@dataclass
class IngestOptions:
    defaults: Defaults = field(default_factory=Defaults)
    max_bytes: int = DEFAULT_MAX_BYTES
    workers: int = 1
    batch_size: int = 200


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
    art = extract(item, defaults)
    if isinstance(art, Reject):
        return art
    sh = frozenset(neardup.shingles(art.body))
    return art, neardup.signature(sh), sh


def ingest(
    paths: Iterable[str],
    store: Store,
    options: IngestOptions = IngestOptions(),
    on_item: Callable[[IngestReport, object], None] | None = None,
    stdin: BinaryIO | None = None,
) -> IngestReport:
    report = IngestReport()
    recent = neardup.RecentShingles()
    items = iter_inputs(paths, options.max_bytes, stdin=stdin)
    results = engine.imap(partial(prepare, defaults=options.defaults), items, options.workers)
    for batch in _batched(results, options.batch_size):
        with store.transaction():
            for res in batch:
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
    return report


def _batched(it: Iterable, n: int):
    batch = []
    for x in it:
        batch.append(x)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch


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
        for cand in store.band_candidates(keys):
            est = neardup.estimate(sig, cand["minhash"]) if cand["minhash"] else 0.0
            if est >= neardup.ESTIMATE_FLOOR:
                cached = recent.get(cand["id"]) if recent is not None else None
                cands.append((cached is None, -est, cand, cached))
        # Verify the likeliest first, and those whose shingles are at hand before any body is read.
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
