"""Kill -9 in the middle of ingest, of coding and of a Parquet run, then run the same command
again: the result is identical to an uninterrupted run (nothing lost, nothing twice), and the
resumed run does not redo what was committed."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.dataset as ds

from eventwatch.archive.ingest import IngestOptions, ingest
from eventwatch.cluster.stream import Checkpointer, InputStream
from eventwatch.events.pipeline import code_store
from eventwatch.store import Store
from eventwatch.store.runs import InputProgress

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "EVENTWATCH_PROGRESS_EVERY": "3600"}

SENTENCES = [
    "Police fired tear gas at protesters outside parliament in {city} on Monday.",
    "The foreign minister of {country} met his counterpart in {city} to discuss the ceasefire.",
    "Rebels attacked an army convoy near {city}, killing {n} soldiers, officials said.",
    "The government of {country} accused its neighbour of violating the border agreement.",
    "The United Nations called on {country} to release the detained journalists.",
    "Thousands of workers went on strike in {city} demanding higher wages.",
    "{country} pledged {n} million dollars in aid to flood victims.",
    "The opposition rejected the election results and called for new talks.",
]
PLACES = [("Kenya", "Nairobi"), ("Peru", "Lima"), ("Iraq", "Baghdad"), ("Nepal", "Kathmandu"), ("Chile", "Santiago")]


def feed(path: Path, n: int, seed: int, start: int = 0) -> Path:
    rnd = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            country, city = rnd.choice(PLACES)
            text = f"Bulletin {i}. " + " ".join(rnd.choice(SENTENCES).format(country=country, city=city, n=i % 50 + 2)
                                                for _ in range(3))
            fh.write(json.dumps({"text": text, "id": str(i), "date": f"2025-0{1 + i % 3}-1{i % 10}", "lang": "en"}) + "\n")
    return path


def counts(db) -> dict:
    con = sqlite3.connect(str(db))
    try:
        out = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
               for t in ("articles", "minhash_bands", "articles_fts_docsize", "rejects", "events", "event_groups",
                         "coded_articles")}
        out["reject_times"] = con.execute("SELECT COALESCE(SUM(times), 0) FROM rejects").fetchone()[0]
        out["ids"] = con.execute("SELECT group_concat(id) FROM (SELECT id FROM articles ORDER BY id)").fetchone()[0]
        out["dups"] = con.execute("SELECT group_concat(id || duplicate_of) FROM (SELECT id, duplicate_of FROM "
                                  "articles WHERE duplicate_of IS NOT NULL ORDER BY id)").fetchone()[0]
        out["event_ids"] = con.execute("SELECT group_concat(id) FROM (SELECT id FROM events ORDER BY id)").fetchone()[0]
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return out
    finally:
        con.close()


def scalar(db, sql) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
        try:
            return con.execute(sql).fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def kill_when(cmd: list[str], db: Path, sql: str, at_least: int, timeout: float = 120) -> int:
    """Start ``cmd``; SIGKILL it once ``sql`` on ``db`` returns at least ``at_least``; return that value."""
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        seen = scalar(db, sql) if db.exists() else 0
        if seen >= at_least:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "finished before it could be killed: " + proc.stderr.read().decode()[-2000:]
    return seen


def corpus_dir(tmp_path: Path) -> Path:
    d = tmp_path / "corpus"
    d.mkdir()
    for k in range(4):
        feed(d / f"feed-{k}.jsonl", 250, seed=k, start=1000 * k)
    (d / "blob.bin").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)  # a reject
    shutil.copy(ROOT / "samples" / "warc" / "crawl-sample.warc.gz", d / "crawl.warc.gz")
    return d


def test_input_stream_skips_committed_items(tmp_path):
    f = feed(tmp_path / "a.jsonl", 10, seed=1)
    g = feed(tmp_path / "b.jsonl", 5, seed=2)
    stream = InputStream([str(f), str(g)])
    items = list(stream)
    assert [(Path(t.input).name, t.seq, t.item is None) for t in items][-1] == ("b.jsonl", 5, True)
    assert len(items) == 10 + 1 + 5 + 1
    st = os.stat(f)
    progress = {str(f): InputProgress(st.st_size, st.st_mtime_ns, 10, True),
                str(g): InputProgress(os.stat(g).st_size, os.stat(g).st_mtime_ns, 3, False)}
    resumed = InputStream([str(f), str(g)], progress=progress)
    rest = list(resumed)
    assert [(t.seq, t.item is None) for t in rest] == [(3, False), (4, False), (5, True)]
    assert resumed.files_skipped == 1 and resumed.records_skipped == 3 and resumed.bytes_read == resumed.total_bytes
    marks = Checkpointer(resumed)
    marks.committed(str(g), 5, True)
    assert marks.take()[str(g)].done
    os.utime(g, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # a changed file is read again from the start
    assert len(list(InputStream([str(g)], progress=progress))) == 6


def test_kill_mid_ingest_of_a_directory_then_resume(tmp_path):
    corpus = corpus_dir(tmp_path)
    clean = tmp_path / "clean.db"
    store = Store(clean)
    full = ingest([str(corpus)], store, IngestOptions())
    store.close()
    assert full.stored > 1000 and full.rejected >= 1

    db = tmp_path / "killed.db"
    cmd = [sys.executable, "-m", "eventwatch", "ingest", str(corpus), "--db", str(db), "-q", "--json"]
    stored = kill_when(cmd, db, "SELECT COUNT(*) FROM articles", 250)  # past the first file
    assert 0 < stored < full.stored
    assert scalar(db, "SELECT COUNT(*) FROM run_inputs WHERE done = 1") >= 1

    rerun = subprocess.run(cmd[:-2] + ["--json"], env=ENV, capture_output=True, text=True, timeout=300)
    assert rerun.returncode in (0, 1), rerun.stderr  # 1 when this invocation met a reject
    summary = json.loads(rerun.stdout)
    assert summary["documents"] < full.documents  # committed records were not extracted again
    assert summary["already_stored"] == 0  # ... nor stored again
    assert counts(db) == counts(clean)  # reject counted once, as in the uninterrupted run
    assert scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'finished'") == 1

    again = subprocess.run(cmd, env=ENV, capture_output=True, text=True, timeout=300)  # a finished run: anew
    assert json.loads(again.stdout)["already_stored"] == full.stored


def test_kill_mid_coding_then_rerun(tmp_path):
    src = tmp_path / "feed.jsonl"
    feed(src, 200, seed=7)
    base = tmp_path / "base.db"
    store = Store(base)
    ingest([str(src)], store, IngestOptions())
    store.close()
    clean, db = tmp_path / "clean.db", tmp_path / "killed.db"
    shutil.copy(base, clean)
    shutil.copy(base, db)
    store = Store(clean)
    report = code_store(store)
    store.close()
    assert report.articles == 200 and report.events > 100

    cmd = [sys.executable, "-m", "eventwatch", "code", "--db", str(db), "-q"]
    coded = kill_when(cmd, db, "SELECT COUNT(*) FROM coded_articles", 16)
    assert 0 < coded < 200 and coded % 16 == 0  # whole batches or nothing
    events_then = scalar(db, "SELECT COUNT(*) FROM events")
    assert events_then == scalar(db, "SELECT COALESCE(SUM(events), 0) FROM coded_articles")
    rerun = subprocess.run(cmd + ["--json"], env=ENV, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout.strip().splitlines()[-1])["articles"] == 200 - coded  # only what was left
    assert counts(db) == counts(clean)


PARQUET_RUN = """
import sys
from eventwatch.cluster.run import ParquetOptions, run_parquet
from eventwatch.engine import get_executor
with get_executor("local", int(sys.argv[3])) as ex:
    r = run_parquet([sys.argv[1]], sys.argv[2], ex, ParquetOptions(batch_size=8, flush_articles=24))
print(r.stored, r.events)
"""


def parquet_rows(out: Path) -> dict:
    def table(name, cols):
        return sorted(tuple(r.values()) for r in ds.dataset(out / name, format="parquet", partitioning="hive")
                      .to_table(columns=cols).to_pylist())
    return {"articles": table("articles", ["id", "day"]), "events": table("events", ["id", "article_id", "day"]),
            "mentions": table("mentions", ["mention_id", "day"]),
            "rejects": table("rejects", ["input", "reason"])}


def test_kill_mid_parquet_run_then_resume(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    feed(corpus / "a.jsonl", 90, seed=3)
    feed(corpus / "b.jsonl", 90, seed=4, start=500)
    (corpus / "empty.txt").write_text("")
    clean, out = tmp_path / "clean", tmp_path / "out"
    res = subprocess.run([sys.executable, "-c", PARQUET_RUN, str(corpus), str(clean), "2"], env=ENV,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr

    cmd = [sys.executable, "-c", PARQUET_RUN, str(corpus), str(out), "2"]
    kill_when(cmd, out / "_state.db", "SELECT COUNT(DISTINCT batch) FROM parquet_parts", 1)
    committed = scalar(out / "_state.db", "SELECT COUNT(*) FROM parquet_articles")
    assert 0 < committed < 180
    res = subprocess.run(cmd, env=ENV, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert int(res.stdout.split()[0]) == 180 - committed  # only the rest was written
    got, want = parquet_rows(out), parquet_rows(clean)
    assert got == want
    assert len({a[0] for a in got["articles"]}) == len(got["articles"]) == 180  # no article twice
    assert not list(out.rglob(".*.tmp"))
