#!/usr/bin/env python3
"""Archive ingest speed: already-extracted JSONL articles into a fresh SQLite archive, one core.

The articles are built from the 181 gold bodies of the ScrapingHub benchmark
(``../shared/data/extraction/scrapinghub-aeb/ground-truth.json``):

* **distinct**: every article is a fresh mix of ~20 sentences drawn from the whole pool, so
  articles share little text and the near-duplicate check mostly finds no candidates;
* **reprints**: each gold body ×N, every copy with its own opening line and a few words
  changed, so almost every article is a near-duplicate of one already stored (the costly
  path: candidates are fetched and verified on their shingles).

The whole ``eventwatch.archive.ingest.ingest`` path is timed: JSONL parsing, extraction
(normalisation, dateline, language), identity hash, MinHash, LSH lookup, SQLite + FTS5
writes in batched transactions. A second run over the same file measures re-ingest
(everything already stored). Target: ≥ 200 articles/s.

Usage: ``python bench/ingest.py [--n 3000] [--copies 20] [--shared PATH]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eventwatch.archive.ingest import IngestOptions, ingest  # noqa: E402
from eventwatch.store import Store  # noqa: E402

TARGET = 200.0
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
OUTLETS = ["Example Wire", "Daily Sample", "The Placeholder", "Test Gazette"]


def distinct_articles(bodies: list[str], n: int, rng: random.Random) -> list[dict]:
    pool = [s for b in bodies for s in _SENT.split(b.replace("\n", " ")) if 6 <= len(s.split()) <= 80]
    out = []
    for i in range(n):
        sents = rng.sample(pool, rng.randint(12, 28))
        paras = [" ".join(sents[j : j + 3]) for j in range(0, len(sents), 3)]
        out.append(_record(i, paras, rng))
    return out


def reprint_articles(bodies: list[str], copies: int, rng: random.Random) -> list[dict]:
    out = []
    for c in range(copies):
        for b, body in enumerate(bodies):
            words = body.split()
            for _ in range(max(1, len(words) // 50)):  # ~2 % of words changed
                words[rng.randrange(len(words))] = rng.choice(["said", "reported", "officials", "on Monday"])
            opener = f"Reprint {c} of story {b}, distributed by {rng.choice(OUTLETS)}."
            out.append(_record(len(out), [opener, " ".join(words)], rng))
    return out


def _record(i: int, paras: list[str], rng: random.Random) -> dict:
    return {
        "id": f"bench-{i}",
        "title": " ".join(paras[0].split()[:9]),
        "text": "\n\n".join(paras),
        "date": f"2019-11-{rng.randint(1, 28):02d}",
        "source": rng.choice(OUTLETS),
        "url": f"https://example.org/bench/{i}",
    }


def run(path: Path, db: Path, batch_size: int) -> tuple[float, float, dict]:
    """Wall-clock seconds, CPU seconds of this process, and the ingest report."""
    store = Store(str(db))
    t0, c0 = time.perf_counter(), time.process_time()
    report = ingest([str(path)], store, IngestOptions(workers=1, batch_size=batch_size))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    store.close()
    return seconds, cpu, report.as_dict()


def machine() -> str:
    import platform

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, "
            f"load average {load:.2f} at start")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=Path(os.environ.get("EVENTWATCH_SHARED", ROOT.parent / "shared")))
    ap.add_argument("--n", type=int, default=3000, help="distinct articles")
    ap.add_argument("--copies", type=int, default=20, help="reprints of each gold body")
    ap.add_argument("--batch-size", type=int, default=IngestOptions().batch_size)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=2, help="timing runs; the fastest (least CPU) counts")
    args = ap.parse_args()
    print(f"_{machine()}_\n")
    gt = args.shared / "data" / "extraction" / "scrapinghub-aeb" / "ground-truth.json"
    if not gt.exists():
        print(f"benchmark data not found at {gt}", file=sys.stderr)
        return 2
    bodies = [v["articleBody"] for v in json.loads(gt.read_text(encoding="utf-8")).values() if v.get("articleBody")]
    rng = random.Random(args.seed)
    sets = {
        "distinct": distinct_articles(bodies, args.n, rng),
        "reprints": reprint_articles(bodies, args.copies, rng),
    }
    rows = []
    with tempfile.TemporaryDirectory(prefix="eventwatch-bench-") as tmp:
        for name, records in sets.items():
            src = Path(tmp) / f"{name}.jsonl"
            src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
            words = sum(len(r["text"].split()) for r in records)
            best = None
            for k in range(max(1, args.repeat)):  # a fresh database each time
                db = Path(tmp) / f"{name}-{k}.db"
                first_s, first_cpu, first = run(src, db, args.batch_size)
                again_s, again_cpu, again = run(src, db, args.batch_size)
                if best is None or first_cpu < best[1]:
                    best = (first_s, first_cpu, first, again_s, again_cpu, again)
            first_s, first_cpu, first, again_s, again_cpu, again = best
            rows.append((name, len(records), words / len(records), first_s, first_cpu, first, again_s, again_cpu,
                         again))

    print(f"## Archive ingest, already-extracted JSONL, one process (fresh database, fastest of "
          f"{max(1, args.repeat)} runs)\n")
    print("Rates per CPU-second are what one dedicated core sustains; wall-clock rates also show what else "
          "ran on the machine.\n")
    print("| articles | n | words/article | stored | near-dups | wall s | CPU s | articles/s (CPU) | "
          "articles/s (wall) | target | re-ingest articles/s (CPU) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    ok = True
    for name, n, wpa, s, cpu, rep, s2, cpu2, rep2 in rows:
        rate = n / cpu
        ok &= rate >= TARGET
        assert rep2["stored"] == 0 and rep2["already_stored"] == n, rep2
        print(f"| {name} | {n:,} | {wpa:.0f} | {rep['stored']:,} | {rep['near_duplicates']:,} | {s:.1f} | {cpu:.1f} | "
              f"**{rate:,.0f}** | {n / s:,.0f} | ≥ {TARGET:.0f} {'met' if rate >= TARGET else 'MISSED'} | "
              f"{n / cpu2:,.0f} |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
