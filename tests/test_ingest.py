"""Ingest into the archive: idempotence, defaults, near-duplicates, search, bad input, crashes."""

from __future__ import annotations

import gzip
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

import pytest

from eventwatch.archive.ingest import IngestOptions, IngestReport, ingest
from eventwatch.extract import Defaults
from eventwatch.store import HL_END, HL_START, Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SAMPLE_WARC = SAMPLES / "warc" / "crawl-sample.warc.gz"
WARC_URLS = [
    "https://nileandsahel.example/news/2025/04/07/el-fasher-market-airstrike",
    "https://nileandsahel.example/news/2025/04/09/jeddah-truce-appeal",
    "https://pacificledger.example/politics/2025/07/15/japan-korea-summit-seoul",
    "https://continentalherald.example/world/2025/07/22/iaea-inspectors-iran-access",
    "https://andeswire.example/colombia/2025/10/01/talks-suspended-arauca-attack",
]

STORY = [
    "The foreign ministers of the two neighbouring countries agreed on Tuesday to reopen their embassies "
    "and to resume direct flights between the capitals, ending a diplomatic rupture that lasted four years.",
    "The agreement was signed in the presence of mediators from the regional bloc after two days of talks "
    "held behind closed doors at a lakeside hotel, officials from both delegations said.",
    "“This is a day our citizens have waited for,” one of the ministers told reporters after the ceremony. "
    "“We have chosen dialogue over confrontation and we will not look back,” he added.",
    "Under the deal, ambassadors will return within sixty days and a joint commission will meet every month "
    "to settle disputes over fishing rights, border crossings and the status of detained nationals.",
    "Opposition politicians in both countries criticised the agreement, saying it had been negotiated in "
    "secret, and called for parliament to debate its terms before it enters into force next month.",
]


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def run(paths, db, **opts) -> IngestReport:
    store = Store(str(db))
    try:
        return ingest([str(p) for p in paths], store, IngestOptions(**opts))
    finally:
        store.close()


def counts(db) -> dict:
    con = sqlite3.connect(str(db))
    try:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("articles", "minhash_bands", "articles_fts_docsize", "rejects")}
    finally:
        con.close()


def rows(db, sql, params=()):
    con = sqlite3.connect(str(db))
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql, params)]
    finally:
        con.close()


@pytest.fixture(scope="session")
def samples_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("samples") / "samples.db"
    report = run([SAMPLES], db)
    return db, report


@pytest.fixture()
def samples_copy(samples_db, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(samples_db[0], db)
    return db


# --- the sample corpus ------------------------------------------------------------------------
def test_samples_ingest(samples_db):
    db, report = samples_db
    assert report.as_dict() == {"documents": 28, "stored": 28, "already_stored": 0, "near_duplicates": 1,
                                "non_english": 1, "skipped": 3, "rejected": 0}
    by_kind = {r["kind"]: r["n"] for r in rows(db, "SELECT kind, COUNT(*) n FROM articles GROUP BY kind")}
    assert by_kind == {"textpage": 3, "html": 8, "record": 17}
    assert rows(db, "SELECT COUNT(*) n FROM articles WHERE published IS NULL") == [{"n": 1}]
    assert rows(db, "PRAGMA journal_mode") == [{"journal_mode": "wal"}]


def test_reingest_adds_nothing(samples_copy):
    before = counts(samples_copy)
    ids_before = rows(samples_copy, "SELECT id, duplicate_of, ingested_at FROM articles ORDER BY id")
    report = run([SAMPLES], samples_copy)
    assert report.stored == 0 and report.already_stored == 28 and report.near_duplicates == 0
    assert counts(samples_copy) == before
    assert rows(samples_copy, "SELECT id, duplicate_of, ingested_at FROM articles ORDER BY id") == ids_before


def test_same_text_under_another_name_is_the_same_article(samples_copy, tmp_path):
    src = SAMPLES / "text" / "levant-ledger-4471.txt"
    copy = write(tmp_path / "renamed.dat", src.read_bytes().replace(b"\n\n", b"\n\n\n").replace(b" - A ", b" -  A "))
    report = run([copy], samples_copy)
    assert report.already_stored == 1 and report.stored == 0
    (row,) = rows(samples_copy, "SELECT origin FROM articles WHERE source_id = 'LL-20250318-4471'")
    assert row["origin"].endswith("levant-ledger-4471.txt")


def test_worker_processes_give_the_same_archive(tmp_path):
    feeds = SAMPLES / "feeds"
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    r1, r2 = run([feeds], one), run([feeds], two, workers=2)
    assert r1.as_dict() == r2.as_dict()
    q = "SELECT id, title, published, dateline, lang, duplicate_of FROM articles ORDER BY rowid"
    assert rows(one, q) == rows(two, q)


# --- --date / --outlet --------------------------------------------------------------------------
def test_date_default_and_filling_a_missing_date(seed_path, tmp_path):
    db = tmp_path / "a.db"
    run([seed_path], db)
    assert rows(db, "SELECT published, outlet FROM articles") == [{"published": None, "outlet": "Asharq Al-Awsat"}]
    report = run([seed_path], db, defaults=Defaults(published="2016-09-26", outlet="Other"))
    assert report.already_stored == 1
    assert rows(db, "SELECT published, outlet FROM articles") == [{"published": "2016-09-26",
                                                                   "outlet": "Asharq Al-Awsat"}]
    run([seed_path], db, defaults=Defaults(published="2020-01-01"))  # a known date is not overwritten
    assert rows(db, "SELECT published FROM articles") == [{"published": "2016-09-26"}]
    assert counts(db)["articles"] == 1


def test_outlet_default_only_where_missing(tmp_path):
    feed = write(tmp_path / "f.jsonl", json.dumps({"text": "\n\n".join(STORY)}) + "\n"
                 + json.dumps({"text": "\n\n".join(reversed(STORY)), "source": "Own Outlet", "date": "2025-02-03"})
                 + "\n")
    db = tmp_path / "o.db"
    run([feed], db, defaults=Defaults(published="2025-01-01", outlet="Example Wire"))
    got = rows(db, "SELECT outlet, published FROM articles ORDER BY rowid")
    assert got == [{"outlet": "Example Wire", "published": "2025-01-01"},
                   {"outlet": "Own Outlet", "published": "2025-02-03"}]


# --- near-duplicates ------------------------------------------------------------------------------
def test_sample_reprint_is_clustered(samples_db):
    db, _ = samples_db
    dups = rows(db, "SELECT a.outlet, b.outlet AS of FROM articles a JOIN articles b ON b.id = a.duplicate_of")
    assert len(dups) == 1
    assert {dups[0]["outlet"], dups[0]["of"]} == {"The Levant Ledger", "Gulf Daily Record"}


def test_near_duplicate_clusters(tmp_path):
    original = "\n\n".join(STORY)
    reprint = ("CAPITAL CITY (Example Wire) - " + original.replace("on Tuesday", "on Tuesday evening")
               .replace("officials from both delegations said", "diplomats said")
               + "\n\n(Reporting by Example Wire; editing by the desk)")
    trimmed = "\n\n".join(STORY[:4])  # a shortened reprint: contained in the original
    other = "\n\n".join(s.replace("foreign ministers", "trade unions").replace("embassies", "factories")
                        .replace("agreement", "walkout").replace("deal", "strike")[::-1] for s in STORY)
    short = "Talks resumed on Monday."
    feed = write(tmp_path / "f.jsonl", "".join(json.dumps({"text": t, "id": k}) + "\n" for k, t in
                                                [("orig", original), ("reprint", reprint), ("trim", trimmed),
                                                 ("other", other), ("short", short)]))
    db = tmp_path / "n.db"
    report = run([feed], db)
    assert report.stored == 5 and report.near_duplicates == 2
    got = {r["source_id"]: r for r in rows(db, "SELECT id, source_id, duplicate_of FROM articles")}
    root = got["orig"]["id"]
    assert got["orig"]["duplicate_of"] is None
    assert got["reprint"]["duplicate_of"] == root
    assert got["trim"]["duplicate_of"] == root  # points at the cluster's first article, not the reprint
    assert got["other"]["duplicate_of"] is None
    assert got["short"]["duplicate_of"] is None
    # the database enforces the link
    assert rows(db, "PRAGMA foreign_key_check") == []


# --- search -------------------------------------------------------------------------------------------
def test_search_ranking_snippets_and_collapse(tmp_path):
    texts = {
        "many": ("Ceasefire talks resumed. " + " ".join(STORY) + " The ceasefire held and a second ceasefire "
                 "line was agreed."),
        "once": " ".join(STORY) + " A ceasefire was mentioned once.",
        "none": " ".join(STORY[::-1]),
    }
    feed = write(tmp_path / "f.jsonl", "".join(
        json.dumps({"text": t, "id": k, "title": "Ceasefire agreed" if k == "many" else "Talks"}) + "\n"
        for k, t in texts.items()))
    db = tmp_path / "s.db"
    run([feed], db)
    store = Store(str(db))
    hits = store.search("ceasefire")
    ids = [store.get_article(h.id).source_id for h in hits]
    assert ids == ["many", "once"]
    assert hits[0].rank < hits[1].rank  # bm25: lower is better
    assert f"{HL_START}ceasefire{HL_END}".lower() in hits[1].snippet.lower()
    assert store.search('"second ceasefire line"')[0].title == "Ceasefire agreed"
    assert len(store.search("ceasefir*")) == 2
    assert [store.get_article(h.id).source_id for h in store.search("ceasefires")] == ["many", "once"]  # stemmed
    for malformed in ("ceasefire AND (", '"ceasefire', "-ceasefire", "ceasefire)", "NEAR(ceasefire"):
        assert len(store.search(malformed)) == 2, malformed  # falls back to the query's words
    assert store.search("*") == [] and store.search("AND") == []
    assert store.search("zeppelin") == []
    store.close()


def test_search_collapse_on_samples(samples_db):
    store = Store(str(samples_db[0]))
    full = store.search("Lebanon ceasefire monitors")
    collapsed = store.search("Lebanon ceasefire monitors", collapse=True)
    store.close()
    clusters = {h.cluster for h in full}
    assert len(full) == len(collapsed) + 1
    assert len(collapsed) == len(clusters)
    top = collapsed[0]
    assert top.cluster_hits == 2 and "Lebanon" in top.title


# --- bad input --------------------------------------------------------------------------------------
GOOD = "\n\n".join(STORY)
PARA = STORY[0]


def bad_inputs(d: Path) -> dict[str, tuple[Path, str]]:
    """name → (file, a phrase the reject message must contain)."""
    rnd = random.Random(7)
    cases = {
        "binary": (write(d / "blob.txt", bytes(rnd.randrange(256) for _ in range(4096))), "binary data"),
        "png": (write(d / "photo.html", b"\x89PNG\r\n\x1a\n" + bytes(rnd.randrange(256) for _ in range(500))),
                "binary data (PNG)"),
        "utf16": (write(d / "u16.txt", b"\xff\xfe" + (PARA * 2).encode("utf-16-le") + b"\x00\xd8\x41"),
                  "invalid UTF-16"),
        "utf8-bom": (write(d / "bom.txt", b"\xef\xbb\xbf" + PARA.encode() + b"\xff\xfe\xfa" + PARA.encode()),
                     "invalid UTF-8"),
        "mixed": (write(d / "mixed.txt", (PARA * 2).encode() + " Café – naïve ".encode()
                        + "Caf\xe9 se\xf1or".encode("latin-1") + PARA.encode()), "mixed encodings"),
        "empty": (write(d / "empty.txt", b""), "empty input"),
        "blank": (write(d / "blank.html", b" \n\t\n  "), "empty input"),
        "nohtmltext": (write(d / "shell.html", b"<html><head><title>x</title></head><body><div><a href='/'>Home"
                                               b"</a></div><script>var x = 1;</script></body></html>"),
                       "no article text found"),
        "notext": (write(d / "chrome.txt", "Home | World | Sport\nSubscribe\n© 2025 Example\n"),
                   "no article text found"),
    }
    return cases


@pytest.mark.parametrize("case", ["binary", "png", "utf16", "utf8-bom", "mixed", "empty", "blank", "nohtmltext",
                                  "notext"])
def test_bad_input_rejected_batch_goes_on(tmp_path, case):
    path, phrase = bad_inputs(tmp_path)[case]
    good = write(tmp_path / "good.txt", "Talks end in agreement | Example Post\n\n" + GOOD)
    db = tmp_path / "b.db"
    report = run([path, good], db)
    assert report.rejected == 1 and report.stored == 1
    (rej,) = report.rejects
    assert rej.input == str(path) and phrase in rej.reason
    assert str(path) in rej.message()
    (row,) = rows(db, "SELECT input, location, stage, reason, times FROM rejects")
    assert row["input"] == str(path) and phrase in row["reason"] and row["times"] == 1


def test_oversize_documents(tmp_path):
    big = write(tmp_path / "big.txt", ("Headline | Site\n\n" + GOOD + "\n\n") * 2000)  # > 1 MB
    assert big.stat().st_size > 1 << 20
    huge = write(tmp_path / "huge.html", b"<html><body><p>" + b"word " * (1_100_000) + b"</p></body></html>")
    assert huge.stat().st_size > 5 << 20
    db = tmp_path / "o.db"
    report = run([huge], db)  # the default limit is 5 MB
    assert report.rejected == 1 and "over the 5.0 MB limit" in report.rejects[0].reason
    report = run([big], db, max_bytes=1 << 20)
    assert report.rejected == 1 and "over the 1.0 MB limit" in report.rejects[0].reason
    report = run([big], db, max_bytes=4 << 20)
    assert report.rejected == 0 and report.stored == 1


def _warc_damage(kind: str) -> bytes:
    data = SAMPLE_WARC.read_bytes()
    if kind == "truncated.warc.gz":
        return data[: len(data) * 2 // 3]
    if kind == "corrupt.warc.gz":
        bad = bytearray(data)
        for i in range(len(data) * 2 // 3, len(data) * 2 // 3 + 40):
            bad[i] ^= 0x5A
        return bytes(bad)
    raw = gzip.decompress(data)
    return raw[: len(raw) * 2 // 3]  # truncated.warc


@pytest.mark.parametrize("name, phrase", [
    ("truncated.warc.gz", "records before the damage were kept"),
    ("corrupt.warc.gz", "records before the damage were kept"),
    ("truncated.warc", "truncated or corrupt"),
])
def test_damaged_warc_keeps_records_before_damage(tmp_path, name, phrase):
    path = write(tmp_path / name, _warc_damage(name))
    db = tmp_path / "w.db"
    report = run([path], db)
    assert report.rejected == 1 and phrase in report.rejects[0].reason
    urls = [r["url"] for r in rows(db, "SELECT url FROM articles ORDER BY rowid")]
    assert 1 <= len(urls) < 5
    assert urls == WARC_URLS[: len(urls)]  # every record before the damage, in order


def test_truncated_gzip_jsonl_keeps_lines_before_damage(tmp_path):
    lines = "".join(json.dumps({"text": f"{s} Line {i}.", "id": str(i)}) + "\n" for i, s in enumerate(STORY * 40))
    comp = gzip.compress(lines.encode())
    path = write(tmp_path / "feed.jsonl.gz", comp[: len(comp) - 40])
    db = tmp_path / "j.db"
    report = run([path], db)
    assert report.rejected == 1 and "stream damaged after line" in report.rejects[0].reason
    ids = [int(r["source_id"]) for r in rows(db, "SELECT source_id FROM articles ORDER BY rowid")]
    assert 150 < len(ids) < 200 and ids == list(range(len(ids)))


def test_malformed_html_is_recovered(tmp_path):
    html = ("<html><head><title>Embassies to reopen | Example Times</title><body><div class=main>"
            + "".join(f"<p><b>{s}<i></span>" for s in STORY) + "</div></td></table><<<>>> <p>\x00</html")
    path = write(tmp_path / "broken.html", html)
    db = tmp_path / "h.db"
    report = run([path], db)
    assert report.rejected == 0 and report.stored == 1
    (row,) = rows(db, "SELECT title, body FROM articles")
    assert row["title"] == "Embassies to reopen"
    assert row["body"].startswith("The foreign ministers of the two neighbouring countries")
    assert "Under the deal, ambassadors will return" in row["body"]


def test_jsonl_broken_lines_report_line_numbers(tmp_path):
    good = json.dumps({"text": GOOD, "id": "a"})
    lines = [good, '{"text": "unterminated', "", json.dumps({"title": "no text"}), "[1, 2]",
             json.dumps({"text": GOOD + " Two.", "title": {"nested": 1}}),
             json.dumps({"text": GOOD + " Three.", "date": "not a date at all"}),
             json.dumps({"text": "   "}), "\xff garbage", json.dumps({"text": GOOD + " Last.", "id": "z"})]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines).encode("utf-8", "surrogateescape") + b"\n")
    db = tmp_path / "j.db"
    report = run([path], db)
    assert report.stored == 2
    got = {r.location: r.reason for r in report.rejects}
    assert set(got) == {"line 2", "line 4", "line 5", "line 6", "line 7", "line 8", "line 9"}
    assert got["line 2"].startswith("invalid JSON")
    assert "no 'text'" in got["line 4"] and "no 'text'" in got["line 8"]
    assert "expected a JSON object" in got["line 5"]
    assert "'title' must be a string" in got["line 6"]
    assert "publication date" in got["line 7"]
    for r in report.rejects:
        assert r.message().startswith(f"{path} (line ")
    assert [r["source_id"] for r in rows(db, "SELECT source_id FROM articles ORDER BY rowid")] == ["a", "z"]


def test_non_english_archived_and_flagged(samples_db):
    db, report = samples_db
    assert report.non_english == 1
    (row,) = rows(db, "SELECT lang, title, body FROM articles WHERE lang != 'en'")
    assert row["lang"] == "fr" and row["title"].startswith("Mali :")
    assert "arrestations" in row["body"]


def test_language_detected_when_not_given(tmp_path):
    es = ("El gobierno y la oposición firmaron el martes un acuerdo para celebrar elecciones el próximo año, "
          "según informó el ministerio del Interior en un comunicado difundido por la noche.")
    feed = write(tmp_path / "f.jsonl", json.dumps({"text": es}) + "\n" + json.dumps({"text": GOOD, "lang": "EN"}) + "\n"
                 + json.dumps({"text": GOOD + " More.", "lang": "en-GB"}) + "\n")
    db = tmp_path / "l.db"
    report = run([feed], db)
    assert report.non_english == 1
    assert [r["lang"] for r in rows(db, "SELECT lang FROM articles ORDER BY rowid")] == ["es", "en", "en"]


def test_rejects_table_counts_repeats(tmp_path):
    cases = bad_inputs(tmp_path)
    paths = [cases[k][0] for k in ("binary", "empty", "mixed")]
    db = tmp_path / "r.db"
    run(paths, db)
    run(paths, db)
    got = rows(db, "SELECT input, location, stage, reason, times, first_seen <= last_seen AS ordered "
                   "FROM rejects ORDER BY id")
    assert [Path(r["input"]).name for r in got] == ["blob.txt", "empty.txt", "mixed.txt"]
    assert all(r["times"] == 2 and r["ordered"] for r in got)
    assert {r["stage"] for r in got} == {"read", "extract"}


# --- transactions: kill -9 mid-way, then re-run ----------------------------------------------------------
WORDS = ("government minister talks border army police protest agreement ceasefire election capital region "
         "officials said statement president parliament opposition forces attack aid convoy refugees meeting "
         "spokesman foreign security council sanctions troops rebels village city week month year people "
         "the of and to in on for with at by from after before during against between under over").split()


def synthetic_feed(path: Path, n: int) -> Path:
    rnd = random.Random(11)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            words = [rnd.choice(WORDS) for _ in range(70)]
            text = f"Report number {i}. " + " ".join(words) + "."
            fh.write(json.dumps({"text": text, "id": str(i), "date": "2025-01-01", "lang": "en"}) + "\n")
    return path


def test_kill_mid_ingest_then_rerun_matches_clean_run(tmp_path):
    n = 1500
    feed = synthetic_feed(tmp_path / "feed.jsonl", n)
    clean = tmp_path / "clean.db"
    report = run([feed], clean)
    assert report.stored == n

    db = tmp_path / "killed.db"
    cmd = [sys.executable, "-m", "eventwatch", "ingest", str(feed), "--db", str(db), "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
            seen = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            con.close()
        except sqlite3.Error:
            seen = 0
        if seen >= 1:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"

    con = sqlite3.connect(str(db))
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    bands = con.execute("SELECT COUNT(*) FROM minhash_bands").fetchone()[0]
    con.close()
    print("killed after", stored, "of", n)
    assert 0 < stored < n
    assert stored % IngestOptions().batch_size == 0  # whole batches or nothing
    assert bands == 32 * stored

    rerun = subprocess.run(cmd, env=env, capture_output=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr.decode()
    assert counts(db) == counts(clean)
    ids = "SELECT id, source_id, duplicate_of FROM articles ORDER BY id"
    assert rows(db, ids) == rows(clean, ids)
    con = sqlite3.connect(str(db))
    con.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")  # raises if inconsistent
    con.close()


def _open_store(path: str) -> str:
    try:
        Store(path).close()
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"


def test_processes_opening_a_new_database_at_once(tmp_path):
    import multiprocessing as mp

    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    for trial in range(3):
        path = str(tmp_path / f"new-{trial}.db")
        with ctx.Pool(4) as pool:
            assert pool.map(_open_store, [path] * 4) == ["ok"] * 4
        assert rows(path, "PRAGMA user_version")[0]["user_version"] >= 1


def test_read_only_store_with_odd_characters_in_path(tmp_path):
    path = tmp_path / "a b#c?.db"
    Store(str(path)).close()
    ro = Store(str(path), readonly=True)
    assert ro.scalar("SELECT COUNT(*) FROM articles") == 0
    ro.close()
