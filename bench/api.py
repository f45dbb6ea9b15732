#!/usr/bin/env python3
"""API speed: event queries from 20 concurrent clients against ``eventwatch serve`` on loopback.

The database has ≥ 10,000 event mentions (default 20,000), made by bench/export.py's
``synthetic_db`` from real coded events. The server is the real one (``python -m eventwatch
serve``, uvicorn, read-only) in its own process on 127.0.0.1; the clients are threads with
keep-alive connections, each sending ``--requests`` requests drawn from a fixed mix of event
queries: filtered pages of ``/api/events`` (dates, actor, pair, country, CAMEO, PLOVER,
modality, outlet, text, sort, offset) and single events with their evidence
(``/api/events/{id}``). Bounded in count and time; nothing leaves the machine.

Reports requests/s, p50/p90/p99 latency and errors, the server's CPU time per request (one
server process: what a request costs whatever else the machine is doing) and the load average
(on a shared machine, latency is mostly waiting for a core). Target: p99 < 100 ms, zero errors.

Usage: ``python bench/api.py [--events 20000] [--clients 20] [--requests 150] [--workers 1] [--db PATH]``
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from export import synthetic_db  # noqa: E402  (bench/export.py)

TARGET_P99_MS = 100.0
TRIAL_INDEXES = ("target_country", "place_country", "source_code", "target_code", "goldstein")


def query_mix(db: str, n: int, seed: int = 1) -> list[str]:
    """``n`` request paths: mostly filtered event pages, some single events."""
    c = sqlite3.connect(db)
    ids = [r[0] for r in c.execute("SELECT id FROM events ORDER BY rowid LIMIT 5000")]
    codes = [r[0] for r in c.execute("SELECT DISTINCT source_code FROM events WHERE source_code IS NOT NULL")]
    countries = [r[0] for r in c.execute("SELECT DISTINCT source_country FROM events WHERE length(source_country) = 3")]
    outlets = [r[0] for r in c.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL")]
    words = ["ceasefire", "attack", "talks", "aid", "accused", "agreement", "troops", "protest"]
    c.close()
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.2:
            out.append(f"/api/events/{rng.choice(ids)}")
            continue
        p: dict[str, object] = {"limit": rng.choice([20, 50, 100])}
        y = rng.randrange(2015, 2025)
        m = rng.randrange(1, 13)
        choice = rng.randrange(10)
        if choice == 0:
            p.update(since=f"{y}-{m:02d}", until=f"{y}-{m:02d}")
        elif choice == 1:
            p.update(actor=rng.choice(countries), since=str(y))
        elif choice == 2:
            p.update(pair=f"{rng.choice(countries)},{rng.choice(countries)}")
        elif choice == 3:
            p.update(country=rng.choice(countries))
        elif choice == 4:
            p.update(cameo=rng.choice(["18,19,20", "11", "04", "190", "112"]), since=str(y))
        elif choice == 5:
            p.update(plover=rng.choice(["ASSAULT", "ACCUSE", "CONSULT", "AGREE"]), modality="asserted,reported")
        elif choice == 6:
            p.update(outlet=rng.choice(outlets), offset=rng.choice([0, 50, 200]))
        elif choice == 7:
            p.update(q=rng.choice(words), since=str(y))
        elif choice == 8:
            p.update(source=rng.choice(codes), sort="confidence")
        else:
            p.update(offset=rng.choice([0, 100, 1000, 5000]), sort=rng.choice(["-date", "date", "goldstein"]))
        out.append("/api/events?" + urlencode(p))
    return out


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_ready(port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/events?limit=1")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not come up")


def client(port: int, paths: list[str], lat: list[float], errors: list[str], deadline: float) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for path in paths:
        if time.time() > deadline:
            errors.append("deadline")
            return
        t = time.perf_counter()
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
            dt = time.perf_counter() - t
            if r.status != 200 or not body:
                errors.append(f"{r.status} {path}")
            lat.append(dt)
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{type(exc).__name__} {path}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), 0 where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))] * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=150, help="requests per client")
    ap.add_argument("--workers", type=int, default=1, help="server processes (uvicorn --workers)")
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--max-seconds", type=float, default=300)
    ap.add_argument("--db")
    ap.add_argument("--trial-indexes", action="store_true",
                    help="serve a copy of the database with extra indexes (a trial for a store migration)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ew-bench-api-"))
    db = args.db or str(work / f"synthetic-{args.events}.db")
    synthetic_db(db, args.events, work)
    if args.trial_indexes:
        import shutil

        trial = str(work / "trial-indexes.db")
        src = sqlite3.connect(db)
        src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        src.close()
        shutil.copy(db, trial)
        c = sqlite3.connect(trial)
        for col in TRIAL_INDEXES:
            c.execute(f"CREATE INDEX IF NOT EXISTS trial_{col} ON events({col})")
        c.execute("ANALYZE")
        c.commit()
        c.close()
        db = trial
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen([sys.executable, "-m", "eventwatch", "serve", "--db", db, "--port", str(port), "--quiet",
                               "--workers", str(args.workers)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_ready(port)
        warm_lat: list[float] = []
        client(port, query_mix(db, args.warmup, seed=99), warm_lat, [], time.time() + 60)
        paths = query_mix(db, args.clients * args.requests)
        lat: list[float] = []
        errors: list[str] = []
        deadline = time.time() + args.max_seconds
        load_before = os.getloadavg()
        threads = [threading.Thread(target=client, args=(port, paths[i :: args.clients], lat, errors, deadline))
                   for i in range(args.clients)]
        cpu0 = cpu_seconds(server.pid)
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        server_cpu = cpu_seconds(server.pid) - cpu0
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
    c = sqlite3.connect(db)
    n_events = c.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    c.close()
    res = {
        "events_in_db": n_events, "clients": args.clients, "server_workers": args.workers, "requests": len(lat),
        "errors": len(errors), "error_examples": errors[:5], "seconds": round(wall, 2),
        "requests_per_s": round(len(lat) / wall, 1), "p50_ms": round(pct(lat, 0.5), 1),
        "p90_ms": round(pct(lat, 0.9), 1), "p99_ms": round(pct(lat, 0.99), 1), "max_ms": round(max(lat) * 1000, 1),
        "server_cpu_ms_per_request": round(server_cpu * 1000 / max(len(lat), 1), 2) if args.workers == 1 else None,
        "cores": os.cpu_count(), "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "target_p99_ms": TARGET_P99_MS, "trial_indexes": list(TRIAL_INDEXES) if args.trial_indexes else None,
    }
    res["ok"] = res["p99_ms"] < TARGET_P99_MS and not errors
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
