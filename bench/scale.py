#!/usr/bin/env python3
"""Scale-out: articles/s with 1 and 2 workers on both engines, vs plain spaCy.

Coding tier (the targets): the gold bodies of the ScrapingHub article-extraction
benchmark (English), repeated to ``--n`` articles with distinct ids, coded by
``events.pipeline.code_batch`` through each executor (``local``, ``ray``) with 1 and
2 workers, beside plain spaCy ``nlp.pipe`` (1 process and ``n_process=2``), and a control:
the same articles split over 2 separate single-worker processes started at once (no
executor: what the hardware allows two processes).
End-to-end tier (``--e2e K``): the ScrapingHub WARC copied K times into a directory,
run through ``cluster.run.run_parquet`` (read, extract, MinHash, code, write Parquet).

Every configuration runs in a fresh process. The articles are split into ``--rounds``
rounds and every configuration runs once per round, in rotated order, its times summed:
on a shared VM whose speed drifts by ±15 % over an hour, configurations measured one
after another would compare the drift, not the code. Reported per configuration: wall-clock
articles/s, articles per CPU-second (driver + workers: the honest rate on a shared
machine), the speed-up of 2 workers over 1, the ratio to plain spaCy, peak RSS per
worker, and the core-hours that 400,000 articles (one day of world news) would take
at the measured CPU cost. Targets: 2 workers ≥ 1.8× one; coding ≥ 0.8× plain spaCy;
≤ 1 GB per worker. Ray's start-up (``ray.init``) is timed apart; actor start-up
(loading spaCy once per actor) is inside the timed run.

    .venv/bin/python bench/scale.py [--n 5000] [--rounds 4] [--e2e 0] [--engines local,ray] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DAY = 400_000
TIMEOUT = int(os.environ.get("BENCH_TIMEOUT", 7200))  # seconds per configuration

WORKER = r"""
import json, os, resource, sys, time
mode, engine_name, workers, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
os.environ.setdefault("RAY_AUTH_MODE", "disabled")
def cpu(who):
    ru = resource.getrusage(who)
    return ru.ru_utime + ru.ru_stime
out = {"init_s": 0.0}
if mode == "spacy":
    from eventwatch import nlp as nlp_mod
    from eventwatch.engine import limit_threads
    limit_threads()
    texts = [a["body"] for a in json.load(open(path))]
    t0 = time.perf_counter()
    nlp = nlp_mod.load()
    n = sum(1 for _ in nlp.pipe(texts, batch_size=64, n_process=workers))
    out["seconds"] = time.perf_counter() - t0
    stats = []
elif mode == "code":
    from eventwatch.engine import get_executor
    from eventwatch.events.pipeline import code_batch, warm
    from eventwatch.model import Article
    arts = [Article(**a) for a in json.load(open(path))]
    batches = [arts[i:i + 16] for i in range(0, len(arts), 16)]
    t = time.perf_counter()
    ex = get_executor(engine_name, workers)
    out["init_s"] = time.perf_counter() - t
    t0 = time.perf_counter()
    n = events = 0
    for coded in ex.map(code_batch, batches, setup=warm):
        n += len(coded)
        events += sum(len(c.events) for c in coded)
    out["seconds"] = time.perf_counter() - t0
    out["events"] = events
    stats = ex.stats
    ex.close()
else:  # e2e: a WARC directory to Parquet
    from eventwatch.cluster.run import ParquetOptions, run_parquet
    from eventwatch.engine import get_executor
    src, dest = path.split("|")
    t = time.perf_counter()
    ex = get_executor(engine_name, workers)
    out["init_s"] = time.perf_counter() - t
    t0 = time.perf_counter()
    rep = run_parquet([src], dest, ex, ParquetOptions())
    out["seconds"] = time.perf_counter() - t0
    n = rep.documents
    out["events"] = rep.events
    stats = ex.stats
    ex.close()
out["articles"] = n
driver = cpu(resource.RUSAGE_SELF)
children = cpu(resource.RUSAGE_CHILDREN)
if engine_name == "ray":  # actors are not our children; Ray's own daemons are not counted
    out["cpu_s"] = driver + sum(s["cpu_s"] for s in stats)
else:
    out["cpu_s"] = driver + children
out["rss_self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["rss_child_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
out["worker_rss_mb"] = max([s["peak_rss_mb"] for s in stats] or [0])
print(json.dumps(out))
"""


def corpus(shared: Path, n: int) -> list[dict]:
    from eventwatch.extract.text import detect_language

    gold = json.loads((shared / "data/extraction/scrapinghub-aeb/ground-truth.json").read_text())
    bodies = [v["articleBody"] for v in gold.values() if detect_language(v["articleBody"]) == "en"]
    return [{"id": f"{i:024x}", "body": bodies[i % len(bodies)], "lang": "en", "published": "2019-11-20"}
            for i in range(n)]


def run(mode: str, engine: str, workers: int, path: str) -> dict:
    env = {**os.environ, "RAY_AUTH_MODE": "disabled"}
    res = subprocess.run([sys.executable, "-c", WORKER, mode, engine, str(workers), path],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=TIMEOUT)
    if res.returncode != 0:
        raise SystemExit(f"{mode}/{engine}/{workers} failed:\n{res.stderr[-3000:]}")
    out = json.loads(res.stdout.strip().splitlines()[-1])
    print(f"  {mode} {engine} {workers}: {out['articles']} in {out['seconds']:.1f}s, {out['cpu_s']:.1f} CPU-s",
          file=sys.stderr, flush=True)
    return out


def run_independent(path: Path, workers: int) -> dict:
    """The hardware's ceiling: ``workers`` separate 1-worker processes, each on its share of the
    articles, started at once (no executor, no shared anything)."""
    import time

    arts = json.loads(path.read_text())
    parts = []
    for w in range(workers):
        p = path.with_name(f"share-{w}.json")
        p.write_text(json.dumps(arts[w::workers]))
        parts.append(p)
    env = {**os.environ, "RAY_AUTH_MODE": "disabled"}
    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, "code", "local", "1", str(p)], stdout=subprocess.PIPE,
                              text=True, cwd=ROOT, env=env) for p in parts]
    outs = [json.loads(pr.communicate(timeout=TIMEOUT)[0].strip().splitlines()[-1]) for pr in procs]
    wall = time.perf_counter() - t0
    return {"articles": sum(o["articles"] for o in outs), "seconds": wall, "cpu_s": sum(o["cpu_s"] for o in outs),
            "worker_rss_mb": max(o["worker_rss_mb"] or o["rss_self_mb"] for o in outs), "init_s": 0.0,
            "rss_self_mb": 0, "rss_child_mb": 0, "events": sum(o.get("events", 0) for o in outs)}


def merge(total: dict | None, out: dict) -> dict:
    """Sum one round's result into a configuration's total (peaks: the maximum)."""
    if total is None:
        return dict(out)
    for k, v in out.items():
        if isinstance(v, (int, float)):
            total[k] = max(total.get(k, 0), v) if "rss" in k else total.get(k, 0) + v
    return total


def row(name: str, engine: str, workers: int, r: dict, one: dict | None, spacy: dict | None) -> dict:
    aps = r["articles"] / r["seconds"]
    per_cpu = r["articles"] / r["cpu_s"]
    peak = r["worker_rss_mb"] or (r["rss_self_mb"] if workers == 1 else r["rss_child_mb"])
    return {
        "pipeline": name, "engine": engine, "workers": workers, "articles": r["articles"],
        "seconds": round(r["seconds"], 1), "articles_per_s": round(aps, 2), "articles_per_cpu_s": round(per_cpu, 3),
        "speedup": round(aps / (one["articles"] / one["seconds"]), 2) if one else None,
        "vs_spacy": round(aps / (spacy["articles"] / spacy["seconds"]), 2) if spacy else None,
        "peak_rss_mb_per_worker": round(peak), "init_s": round(r.get("init_s", 0), 1),
        "core_hours_400k": round(DAY / per_cpu / 3600, 1), "events": r.get("events"),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5000, help="articles in the coding tier")
    ap.add_argument("--e2e", type=int, default=0, help="copies of the ScrapingHub WARC for the end-to-end tier")
    ap.add_argument("--engines", default="local,ray")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--rounds", type=int, default=4,
                    help="split the articles into this many rounds; every configuration runs in every round, "
                         "in rotated order, so a change in the machine's speed during the run hits them all alike")
    ap.add_argument("--no-control", action="store_true", help="skip the separate-processes control row")
    ap.add_argument("--json", help="also write the rows here")
    args = ap.parse_args()
    engines = args.engines.split(",")
    counts = [int(w) for w in args.workers.split(",")]
    shared = Path(args.shared)
    tmp = Path(tempfile.mkdtemp(prefix="ew-scale-"))
    rows = []
    try:
        if args.n:
            arts = corpus(shared, args.n)
            warm = tmp / "warm.json"
            warm.write_text(json.dumps(corpus(shared, 8)))
            run("code", "local", 1, str(warm))  # one-time caches (gazetteer) out of the timings
            configs = [("spacy", "local", w) for w in counts] + \
                [("code", e, w) for e in engines for w in counts] + \
                ([("separate", "none", w) for w in counts[1:]] if not args.no_control else [])
            totals: dict[tuple, dict] = {}
            rounds = max(1, min(args.rounds, args.n))
            for r in range(rounds):  # every configuration in every round, the order rotated
                path = tmp / f"articles-{r}.json"
                path.write_text(json.dumps(arts[r * len(arts) // rounds:(r + 1) * len(arts) // rounds]))
                k = r % len(configs)
                for cfg in configs[k:] + configs[:k]:
                    mode, engine, w = cfg
                    out = run_independent(path, w) if mode == "separate" else run(mode, engine, w, str(path))
                    totals[cfg] = merge(totals.get(cfg), out)
            spacy = {w: totals[("spacy", "local", w)] for w in counts}
            for w in counts:
                rows.append(row("spaCy nlp.pipe", "spacy", w, spacy[w], spacy[counts[0]], None))
            first = None
            for engine in engines:
                res = {w: totals[("code", engine, w)] for w in counts}
                first = first or res[counts[0]]
                for w in counts:
                    rows.append(row("coding", engine, w, res[w], res[counts[0]], spacy[w]))
            for w in counts[1:]:  # the same work as w separate processes: what the hardware allows
                if ("separate", "none", w) in totals:
                    rows.append(row("coding, separate processes", "none", w, totals[("separate", "none", w)], first,
                                    spacy[w]))
        if args.e2e:
            warc_dir = tmp / "warc"
            warc_dir.mkdir()
            src = shared / "data/warc/scrapinghub-aeb.warc.gz"
            for i in range(args.e2e):
                shutil.copy(src, warc_dir / f"copy-{i:03d}.warc.gz")
            for engine in engines:
                res = {}
                for w in counts:
                    dest = tmp / f"out-{engine}-{w}"
                    res[w] = run("e2e", engine, w, f"{warc_dir}|{dest}")
                    shutil.rmtree(dest, ignore_errors=True)
                for w in counts:
                    rows.append(row("WARC → Parquet", engine, w, res[w], res[counts[0]], None))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    load = os.getloadavg()
    print(f"\nScale-out on {os.cpu_count()} CPUs, {args.n:,} articles in {args.rounds} rounds (load average at the end {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f})\n")
    print("| pipeline | engine | workers | articles | s | articles/s | articles/CPU-s | 2w speed-up | vs spaCy | "
          "peak RSS/worker MB | engine start s | core-h / 400k |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        sp = f"{r['speedup']:.2f}×" if r["speedup"] and r["workers"] > 1 else ""
        vs = f"{r['vs_spacy']:.2f}×" if r["vs_spacy"] else ""
        print(f"| {r['pipeline']} | {r['engine']} | {r['workers']} | {r['articles']:,} | {r['seconds']} | "
              f"{r['articles_per_s']} | {r['articles_per_cpu_s']} | {sp} | {vs} | {r['peak_rss_mb_per_worker']} | "
              f"{r['init_s']} | {r['core_hours_400k']} |")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
