#!/usr/bin/env python3
"""Export speed: N events (default 100,000) to Parquet, plus the other formats for reference.

The database is synthetic but made of real coded events: the bundled samples (and the reference
article, when ../shared is there) are coded once with ``eventwatch run``, then every coded
mention is copied with a new id, a date spread over 2015-2025 and actors drawn from the coded
ones, until there are N mentions; dedup keys and event groups are rebuilt through the Store, so
GDELT exports have real groups. The timed part is ``eventwatch.export.export`` (SQLite read,
conversion, file write), one process; the best of ``--repeat`` runs is reported, as wall time and
as the process's CPU time (on a shared, loaded machine the wall time is the CPU time plus the
waiting; the load average is printed too). Target: 100,000 events to Parquet in < 5 s.

Usage: ``python bench/export.py [--n 100000] [--db PATH] [--formats parquet,csv,jsonl,gdelt]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eventwatch.store import Store  # noqa: E402
from eventwatch.store.query import EventFilter  # noqa: E402

TARGET_S = 5.0
SHARED = Path(os.environ.get("EVENTWATCH_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "seed" / "asharq-al-awsat-55359139.txt"


def _coded_source(folder: Path) -> str:
    """A database with the samples (and the seed) coded, built once per folder."""
    db = folder / "source.db"
    if not db.exists():
        cli = [sys.executable, "-m", "eventwatch"]
        subprocess.run([*cli, "run", str(ROOT / "samples"), "--db", str(db), "--quiet"], check=False)
        if SEED.exists():
            subprocess.run([*cli, "run", str(SEED), "--db", str(db), "--date", "2016-09-26", "--quiet"], check=False)
    return str(db)


def synthetic_db(path: str, n: int, work: Path | None = None, seed: int = 42) -> str:
    """A database with ``n`` event mentions copied from real coded ones (reused when it has them)."""
    if os.path.exists(path):
        s = Store(path)
        have = s.scalar("SELECT COUNT(*) FROM events")
        s.close()
        if have == n:
            return path
        os.remove(path)
    work = work or Path(tempfile.mkdtemp(prefix="ew-bench-"))
    src = Store(_coded_source(work))
    rows = [dict(r) for r in src.query("SELECT * FROM events")]
    articles = src.query("SELECT * FROM articles")
    src.close()
    if not rows:
        raise SystemExit("no coded events in the source database")
    store = Store(path)
    rng = random.Random(seed)
    actors = sorted({(r["source_code"], r["source_country"], r["source_sector"], r["source_name"])
                     for r in rows if r["source_code"]}, key=lambda a: tuple(x or "" for x in a))
    cols = [c for c in rows[0] if c != "event_key"] + ["event_key"]
    start = date(2015, 1, 1)
    out = []
    with store.transaction():
        acols = [k for k in articles[0].keys()]
        store.conn.executemany(f"INSERT OR IGNORE INTO articles ({', '.join(acols)}) VALUES ({', '.join('?' * len(acols))})",
                               [tuple(a) for a in articles])
        for i in range(n):
            r = dict(rows[i % len(rows)])
            r["id"] = hashlib.sha1(f"{r['id']}:{i}".encode()).hexdigest()[:16]
            r["parent"] = None
            r["date"] = (start + timedelta(days=rng.randrange(0, 3900))).isoformat()
            if rng.random() < 0.5:
                code, country, sector, name = rng.choice(actors)
                r.update(source_code=code, source_country=country, source_sector=sector, source_name=name)
            if r["target_code"] and rng.random() < 0.5:
                code, country, sector, name = rng.choice(actors)
                r.update(target_code=code, target_country=country, target_sector=sector, target_name=name)
            key = None
            if r["modality"] in ("asserted", "reported"):
                key = "|".join([r["date"], r["source_code"] or "", r["target_code"] or "", r["cameo"]])
            r["event_key"] = key
            out.append(tuple(r[c] for c in cols))
            if len(out) == 20000:
                store.conn.executemany(f"INSERT INTO events ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", out)
                out = []
        if out:
            store.conn.executemany(f"INSERT INTO events ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", out)
        keys = [k for (k,) in store.query("SELECT DISTINCT event_key FROM events WHERE event_key IS NOT NULL")]
        store.refresh_groups(keys)
    store.conn.execute("ANALYZE")
    store.close()
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--db", help="synthetic database path (reused when it has --n events)")
    ap.add_argument("--formats", default="parquet,csv,jsonl,gdelt", help="any of parquet,csv,jsonl,gdelt,icews,polecat,geojson")
    ap.add_argument("--repeat", type=int, default=3, help="runs per format; the best is reported")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ew-bench-export-"))
    db = args.db or str(work / f"synthetic-{args.n}.db")
    t0 = time.perf_counter()
    synthetic_db(db, args.n, work)
    build_s = time.perf_counter() - t0
    from eventwatch.export import export

    store = Store(db)
    n = store.scalar("SELECT COUNT(*) FROM events")
    groups = store.scalar("SELECT COUNT(*) FROM event_groups")
    results = {"events": n, "event_groups": groups, "build_s": round(build_s, 1), "cores": os.cpu_count(),
               "load_average_before": [round(x, 2) for x in os.getloadavg()], "formats": {}}
    for fmt in args.formats.split(","):
        best, best_cpu, rows = None, None, None
        for _ in range(args.repeat):
            out = work / f"out.{fmt}"
            t, c = time.perf_counter(), time.process_time()
            res = export(store, fmt, EventFilter(), str(out))
            dt, dc = time.perf_counter() - t, time.process_time() - c
            best = dt if best is None else min(best, dt)
            best_cpu = dc if best_cpu is None else min(best_cpu, dc)
            rows = res["files"]
        size = sum(os.path.getsize(p) for p in rows)
        results["formats"][fmt] = {"seconds": round(best, 3), "cpu_seconds": round(best_cpu, 3),
                                   "rows": list(rows.values()), "rows_per_s": round(max(rows.values()) / best),
                                   "bytes": size}
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    store.close()
    pq = results["formats"].get("parquet")
    if pq:
        results["parquet_target_s"] = TARGET_S
        results["parquet_ok"] = pq["seconds"] < TARGET_S
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
