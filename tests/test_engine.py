"""Executors: ordered, bounded, setup once per worker; local and Ray give the same results;
Parquet output reads back partitioned and merges into SQLite like a direct run."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from eventwatch import engine
from eventwatch.cluster.merge import merge
from eventwatch.cluster.run import ParquetOptions, run_parquet
from eventwatch.engine import get_executor
from eventwatch.engine.local import LocalExecutor
from eventwatch.store import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def square_all(batch):
    return [x * x for x in batch]


def mark(tag):
    os.environ["EW_TEST_SETUP"] = f"{tag}:{os.getpid()}"
    os.environ["EW_TEST_SETUPS"] = str(int(os.environ.get("EW_TEST_SETUPS", "0")) + 1)


def who(batch):
    return [(os.environ.get("EW_TEST_SETUP"), os.environ.get("EW_TEST_SETUPS"), os.environ.get("OMP_NUM_THREADS"),
             os.getpid(), x) for x in batch]


def slow_fail(batch):
    if 13 in batch:
        raise ValueError("batch with 13")
    return batch


@pytest.mark.parametrize("workers", [1, 2])
def test_local_ordered_and_setup_once_per_worker(workers, monkeypatch):
    monkeypatch.setenv("EW_TEST_SETUPS", "0")  # restored after the test (setup may run in this process)
    with LocalExecutor(workers) as ex:
        got = list(ex.map(square_all, ([i, i + 1] for i in range(0, 200, 2))))
        assert got == [[i * i, (i + 1) ** 2] for i in range(0, 200, 2)]
        tags = [t for out in ex.map(who, ([i] for i in range(40)), setup=mark, setup_args=("w",)) for t in out]
    assert [t[4] for t in tags] == list(range(40))
    pids = {t[3] for t in tags}
    assert all(t[0] == f"w:{t[3]}" for t in tags)  # setup ran in the process that did the work
    if workers > 1:
        assert all(t[1] == "1" for t in tags)  # ... once per worker
        assert all(t[2] == "1" for t in tags)  # one BLAS/OpenMP thread per worker process
        assert len(pids) <= workers and os.getpid() not in pids
    assert len(ex.stats) == (1 if workers == 1 else len(ex.stats)) and all(s["peak_rss_mb"] > 0 for s in ex.stats)


def test_local_reads_input_only_as_fast_as_workers_take_it():
    consumed = []

    def source():
        for i in range(1000):
            consumed.append(i)
            yield [i]

    with LocalExecutor(2, prefetch=2) as ex:
        it = ex.map(square_all, source())
        first = next(it)
        assert first == [0]
        assert len(consumed) <= 2 * 2 + 1  # a window of workers × prefetch batches, not the whole input
        it.close()


def test_worker_exception_propagates_and_pool_is_cleaned_up():
    with LocalExecutor(2) as ex, pytest.raises(ValueError, match="batch with 13"):
        list(ex.map(slow_fail, ([i] for i in range(40))))


def test_imap_keeps_its_contract():
    assert list(engine.imap(abs, range(-5, 5), workers=1)) == [abs(i) for i in range(-5, 5)]
    assert list(engine.imap(abs, range(-50, 50), workers=2, chunksize=7)) == [abs(i) for i in range(-50, 50)]


def test_engine_selection_by_name():
    assert get_executor("local", 3).workers == 3
    with pytest.raises(ValueError, match="unknown engine"):
        get_executor("spark", 2)
    with pytest.raises(ValueError, match="needs --engine ray"):
        get_executor("local", 2, address="auto")


def _counts(db) -> dict:
    con = sqlite3.connect(str(db))
    try:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("articles", "events", "event_groups", "coded_articles", "minhash_bands")} | {
            "near_duplicates": con.execute("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0],
            "event_ids": con.execute("SELECT group_concat(id) FROM (SELECT id FROM events ORDER BY id)").fetchone()[0],
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def direct_db(tmp_path_factory):
    """The samples ingested and coded the ordinary way (SQLite, local engine)."""
    db = tmp_path_factory.mktemp("direct") / "direct.db"
    res = subprocess.run([sys.executable, "-m", "eventwatch", "run", str(SAMPLES), "--db", str(db), "-q"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    return db


@pytest.fixture(scope="module")
def parquet_local(tmp_path_factory):
    out = tmp_path_factory.mktemp("pq") / "out"
    with get_executor("local", 2) as ex:
        report = run_parquet([str(SAMPLES)], out, ex, ParquetOptions(batch_size=4, flush_articles=10))
    return out, report


def test_parquet_layout_reads_back_partitioned(parquet_local):
    out, report = parquet_local
    assert report.stored == 28 and report.events > 100 and report.failed == 0
    arts = ds.dataset(out / "articles", format="parquet", partitioning="hive").to_table()
    events = ds.dataset(out / "events", format="parquet", partitioning="hive").to_table()
    mentions = ds.dataset(out / "mentions", format="parquet", partitioning="hive").to_table()
    assert arts.num_rows == report.stored and len(set(arts["id"].to_pylist())) == arts.num_rows
    assert events.num_rows == report.events and mentions.num_rows == report.mentions
    assert {"day", "date", "cameo", "source_code", "sentence_text", "event_key"} <= set(events.column_names)
    for r in events.select(["day", "date"]).to_pylist():  # events are filed under their own date
        assert r["day"] == (r["date"][:10] if r["date"] else r["day"])
    days = set(arts["day"].to_pylist())
    assert "unknown" in days and any(d.startswith("2025-") for d in days)
    assert not list(out.rglob(".*.tmp"))
    # Parquet + merge gives the archive and events that ingest + code give directly
    assert set(mentions["mention_id"].to_pylist()) <= set(events["id"].to_pylist())


def test_merge_equals_direct_run_and_is_idempotent(parquet_local, direct_db, tmp_path):
    out, _ = parquet_local
    db = tmp_path / "merged.db"
    store = Store(db)
    first = merge(out, store)
    again = merge(out, store)
    store.close()
    assert first.batches > 1 and again.batches == 0 and again.already_merged == first.batches
    assert _counts(db) == _counts(direct_db)


def test_cli_run_out_and_merge(tmp_path, direct_db):
    out, db = tmp_path / "out", tmp_path / "m.db"
    env = {**os.environ, "EVENTWATCH_PROGRESS_EVERY": "0"}
    res = subprocess.run([sys.executable, "-m", "eventwatch", "run", str(SAMPLES), "--out", str(out), "--merge",
                          "--db", str(db), "-w", "2", "--json"], capture_output=True, text=True, timeout=300, env=env)
    assert res.returncode == 0, res.stderr
    assert "ETA" in res.stderr or "run:" in res.stderr  # progress lines when stderr is not a terminal
    assert '"merge"' in res.stdout and _counts(db) == _counts(direct_db)
    bad = subprocess.run([sys.executable, "-m", "eventwatch", "run", str(SAMPLES), "--out", str(out),
                          "--address", "auto"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--address needs --engine ray" in bad.stderr


# --- Ray: a local instance, started by the test -----------------------------------------------------------
@pytest.fixture(scope="module")
def ray_local():
    ray = pytest.importorskip("ray")
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    for var in ("EW_TEST_SETUP", "EW_TEST_SETUPS"):  # Ray's workers inherit this environment
        os.environ.pop(var, None)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # this test module's helpers, by value
    yield ray
    ray.shutdown()


def test_ray_executor_ordered_setup_once_per_actor(ray_local):
    ex = get_executor("ray", 2)
    got = list(ex.map(square_all, ([i] for i in range(30))))
    assert got == [[i * i] for i in range(30)]
    tags = [t for out in ex.map(who, ([i] for i in range(12)), setup=mark, setup_args=("r",)) for t in out]
    assert [t[4] for t in tags] == list(range(12))
    assert all(t[0] == f"r:{t[3]}" and t[1] == "1" and t[2] == "1" for t in tags)
    assert len({t[3] for t in tags}) == 2 and os.getpid() not in {t[3] for t in tags}
    assert len(ex.stats) == 2 and all(s["cpu_s"] >= 0 and s["peak_rss_mb"] > 0 for s in ex.stats)
    ex.close()
    assert ray_local.is_initialized()  # an instance the executor did not start is left running


def test_ray_pipeline_equals_local(ray_local, parquet_local, tmp_path):
    out_local, local = parquet_local
    with get_executor("ray", 2) as ex:
        report = run_parquet([str(SAMPLES)], tmp_path / "ray", ex, ParquetOptions(batch_size=4, flush_articles=10))
    assert report.as_dict() == local.as_dict()
    ev = lambda d: sorted(ds.dataset(d / "events", format="parquet", partitioning="hive")  # noqa: E731
                          .to_table(columns=["id", "cameo", "source_code", "target_code"]).to_pylist(),
                          key=lambda r: r["id"])
    assert ev(tmp_path / "ray") == ev(out_local)


@pytest.mark.slow
def test_cli_run_against_an_existing_cluster(tmp_path, parquet_local):
    """`eventwatch run --engine ray --address HOST:PORT` joins a Ray head started beforehand."""
    pytest.importorskip("ray")
    import signal
    import socket
    import tempfile
    import time

    def scalar_ready(port: int) -> bool:
        with socket.socket() as c:
            c.settimeout(1)
            return c.connect_ex(("127.0.0.1", port)) == 0

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0"}
    head = subprocess.Popen([str(Path(sys.executable).parent / "ray"), "start", "--head", "--block",
                             f"--port={port}", "--num-cpus=2", "--include-dashboard=false",
                             "--node-ip-address=127.0.0.1", f"--temp-dir={tempfile.mkdtemp(prefix='ewray')}"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out = tmp_path / "out"
        cmd = [sys.executable, "-m", "eventwatch", "run", str(SAMPLES), "--out", str(out), "--engine", "ray",
               "--address", f"127.0.0.1:{port}", "-w", "2", "--json"]
        deadline = time.monotonic() + 120
        while scalar_ready(port) is False and time.monotonic() < deadline and head.poll() is None:
            time.sleep(1)  # until the head accepts connections
        res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr[-3000:]
        assert "127.0.0.1" in res.stderr  # the summary names the cluster it ran on
        got = json.loads(res.stdout.strip().splitlines()[-1])["run"]
        assert got == parquet_local[1].as_dict()
    finally:
        os.killpg(head.pid, signal.SIGTERM)  # the head we started, and only it
        head.wait(timeout=60)


@pytest.mark.slow
def test_ingest_and_code_into_sqlite_on_ray(ray_local, direct_db, tmp_path):
    from eventwatch.archive.ingest import IngestOptions, ingest
    from eventwatch.events.pipeline import code_store

    db = tmp_path / "ray.db"
    store = Store(db)
    ingest([str(SAMPLES)], store, IngestOptions(workers=2, engine="ray"))
    report = code_store(store, workers=2, engine_name="ray")
    store.close()
    assert report.articles == 28 and report.failed == 0
    assert _counts(db) == _counts(direct_db)
