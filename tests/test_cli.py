"""The command line: exit codes, stdout vs stderr, --quiet, formats, env var, python -m."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwatch.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
FIELDS = ["id", "url", "title", "outlet", "source_id", "published", "dateline", "captions", "body", "lang",
          "duplicate_of"]
BODY = ("The two governments agreed on Monday to reopen the border crossing after talks in the capital, "
        "officials said, ending a closure that had lasted three weeks and stranded hundreds of trucks.\n\n"
        "Traders welcomed the decision and said the first convoys would cross on Wednesday morning, "
        "according to a statement from the chamber of commerce in the border town.")


def cli(*args, input=None, env=None):
    return CliRunner().invoke(app, [str(a) for a in args], input=input, env=env, catch_exceptions=False)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("cli") / "samples.db"
    r = cli("ingest", SAMPLES, "--db", db, "--quiet")
    assert r.exit_code == 0, r.output
    return db


@pytest.fixture()
def db_copy(sample_db, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(sample_db, db)
    return db


# --- exit codes -------------------------------------------------------------------------------
def test_exit_0_on_samples_with_summary_on_stderr(tmp_path):
    db = tmp_path / "x.db"
    r = cli("ingest", SAMPLES, "--db", db)
    assert r.exit_code == 0
    assert r.stdout == ""  # nothing but data goes to stdout, and ingest prints none without --json
    assert "28 new" in r.stderr and "0 rejected" in r.stderr and "1 near-duplicates" in r.stderr


def test_exit_1_when_something_is_rejected(tmp_path):
    bad = tmp_path / "blob.bin"
    bad.write_bytes(bytes(range(256)) * 8)
    good = tmp_path / "good.txt"
    good.write_text("Border to reopen | Example Times\n\n" + BODY)
    r = cli("ingest", bad, good, "--db", tmp_path / "x.db")
    assert r.exit_code == 1
    assert f"rejected {bad}: binary data" in r.stderr
    assert "1 new" in r.stderr and "1 rejected" in r.stderr
    r = cli("ingest", tmp_path / "does-not-exist.txt", "--db", tmp_path / "x.db")
    assert r.exit_code == 1 and "no such file or directory" in r.stderr


@pytest.mark.parametrize("args, message", [
    ([], None),
    (["ingest"], "Missing argument"),
    (["ingest", "samples", "--bogus"], "No such option"),
    (["ingest", "samples", "--date", "26/09/2016"], "--date must be YYYY-MM-DD"),
    (["ingest", "samples", "--date", "2016-02-30"], "--date must be YYYY-MM-DD"),
    (["ingest", "samples", "--max-size", "lots"], "--max-size must be a size"),
    (["ingest", "samples", "--workers", "0"], None),
    (["search", "x", "--db", "{missing}"], "no database at"),
    (["stats", "--db", "{missing}"], "no database at"),
    (["articles", "--db", "{db}", "--format", "xml"], "--format must be jsonl or csv"),
    (["show", "ffffffffffff", "--db", "{db}"], "no article with id"),
    (["show", "abc", "--db", "{db}"], "no article with id"),
    (["nonsense-command"], "No such command"),
])
def test_exit_2_on_usage_errors(sample_db, tmp_path, args, message):
    args = [a.format(missing=tmp_path / "none.db", db=sample_db) for a in args]
    r = cli(*args)
    assert r.exit_code == 2, r.output
    if message:
        assert message in r.stderr
    assert r.stdout == "" or not args  # bare `eventwatch` prints help


# --- --quiet, stdout and stderr -------------------------------------------------------------------
def test_quiet_silences_stderr_but_keeps_exit_code(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    r = cli("ingest", SAMPLES, tmp_path / "empty.txt", "--db", tmp_path / "q.db", "--quiet")
    assert r.exit_code == 1
    assert r.stderr == "" and r.stdout == ""


def test_json_summary_on_stdout(tmp_path):
    r = cli("ingest", SAMPLES / "feeds", "--db", tmp_path / "j.db", "--json", "-q")
    assert r.exit_code == 0 and r.stderr == ""
    assert json.loads(r.stdout) == {"documents": 17, "stored": 17, "already_stored": 0, "near_duplicates": 0,
                                    "non_english": 1, "skipped": 0, "rejected": 0}


def test_stdin_dash(tmp_path):
    feed = (SAMPLES / "feeds" / "regional-roundup-september.jsonl").read_bytes()
    r = cli("ingest", "-", "--db", tmp_path / "s.db", "--json", "-q", input=feed)
    assert r.exit_code == 0 and json.loads(r.stdout)["stored"] == 6
    r = cli("articles", "--db", tmp_path / "s.db")
    assert {json.loads(x)["origin"] for x in r.stdout.splitlines()} == {"<stdin>"}


def test_max_size_option(tmp_path):
    r = cli("ingest", SAMPLES / "html", "--db", tmp_path / "m.db", "--max-size", "2KB")
    assert r.exit_code == 1
    assert r.stderr.count("over the 2 KB limit (raise it with --max-size)") == 3


def test_date_and_outlet_options(seed_path, tmp_path):
    db = tmp_path / "d.db"
    assert cli("ingest", seed_path, "--db", db, "-q").exit_code == 0
    assert cli("ingest", seed_path, "--db", db, "-q", "--date", "2016-09-26", "--outlet", "X").exit_code == 0
    (row,) = [json.loads(x) for x in cli("articles", "--db", db).stdout.splitlines()]
    assert row["published"] == "2016-09-26" and row["outlet"] == "Asharq Al-Awsat"


# --- articles, show, stats, search, rejects -----------------------------------------------------------
def test_articles_jsonl_has_every_field(sample_db):
    r = cli("articles", "--db", sample_db, "--format", "jsonl")
    assert r.exit_code == 0 and r.stderr == ""
    recs = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(recs) == 28
    for rec in recs:
        assert set(FIELDS) <= set(rec)
        assert isinstance(rec["captions"], list) and rec["body"]
    levant = next(x for x in recs if x["source_id"] == "LL-20250318-4471")
    assert levant["captions"] == ["UN peacekeepers patrol a road near the village of Marjayoun on Monday "
                                  "(Photo credit: Karim Haddad/Levant Ledger)"]
    assert levant["dateline"] == "Beirut" and levant["published"] == "2025-03-18"
    assert sum(1 for x in recs if x["duplicate_of"]) == 1
    assert {x["lang"] for x in recs} == {"en", "fr"}


def test_articles_csv_has_every_field(sample_db, tmp_path):
    out = tmp_path / "a.csv"
    r = cli("articles", "--db", sample_db, "--format", "csv", "--out", out)
    assert r.exit_code == 0 and r.stdout == ""
    with open(out, newline="", encoding="utf-8") as fh:
        recs = list(csv.DictReader(fh))
    assert len(recs) == 28
    assert set(FIELDS) <= set(recs[0])
    for rec in recs:
        assert isinstance(json.loads(rec["captions"]), list)
    r = cli("articles", "--db", sample_db, "-f", "csv")
    assert list(csv.DictReader(io.StringIO(r.stdout))) == recs


def test_show_with_prefix_id(sample_db):
    recs = [json.loads(x) for x in cli("articles", "--db", sample_db).stdout.splitlines()]
    art = next(x for x in recs if x["source_id"] == "SO-2025-0877")
    r = cli("show", art["id"][:8], "--db", sample_db)
    assert r.exit_code == 0
    assert art["id"] in r.stdout and "Mali Authorities Arrest Opposition Leaders" in r.stdout
    assert "caption" in r.stdout and "Riot police fire tear gas" in r.stdout
    assert r.stdout.rstrip().endswith("discuss Mali at a meeting in Addis Ababa next week.")
    r = cli("show", art["id"][:10], "--db", sample_db, "--json")
    assert json.loads(r.stdout)["body"] == art["body"]


def test_show_keeps_square_brackets(tmp_path):
    feed = tmp_path / "f.jsonl"
    feed.write_text(json.dumps({"text": BODY + " [bold]not markup[/bold] :smile:", "title": "[Update] Talks"}) + "\n")
    db = tmp_path / "b.db"
    assert cli("ingest", feed, "--db", db, "-q").exit_code == 0
    aid = json.loads(cli("articles", "--db", db).stdout)["id"]
    r = cli("show", aid, "--db", db)
    assert "[Update] Talks" in r.stdout and "[bold]not markup[/bold] :smile:" in r.stdout
    assert json.loads(cli("show", aid, "--db", db, "--json").stdout)["title"] == "[Update] Talks"


def test_stats_json(sample_db):
    r = cli("stats", "--db", sample_db, "--json")
    assert r.exit_code == 0
    stats = json.loads(r.stdout)
    assert stats["articles"] == 28 and stats["near_duplicates"] == 1 and stats["rejects"] == 0
    assert stats["by_kind"] == {"record": 17, "html": 8, "textpage": 3}
    assert stats["published_range"] == ["2025-03-03", "2025-10-07"]
    r = cli("stats", "--db", sample_db)
    assert r.exit_code == 0 and "articles" in r.stdout and "28" in r.stdout


def test_search_cli(sample_db):
    r = cli("search", "ceasefire", "--db", sample_db, "--format", "jsonl")
    assert r.exit_code == 0
    hits = [json.loads(x) for x in r.stdout.splitlines()]
    assert hits and all("[ceasefire]" in h["snippet"].lower() or "[ceasefire" in h["snippet"].lower()
                        for h in hits[:3])
    collapsed = [json.loads(x) for x in cli("search", "ceasefire", "--db", sample_db, "-f", "jsonl",
                                            "--collapse").stdout.splitlines()]
    assert len(collapsed) == len({h["cluster"] for h in hits})
    r = cli("search", "ceasefire", "--db", sample_db, "--collapse")
    assert r.exit_code == 0 and "near-duplicates" in r.stdout
    r = cli("search", "zeppelin", "--db", sample_db)
    assert r.exit_code == 0 and "no matches" in r.stderr


def test_rejects_cli(tmp_path):
    (tmp_path / "e.txt").write_bytes(b"")
    db = tmp_path / "r.db"
    assert cli("ingest", tmp_path / "e.txt", "--db", db, "-q").exit_code == 1
    r = cli("rejects", "--db", db, "--format", "jsonl")
    (rec,) = [json.loads(x) for x in r.stdout.splitlines()]
    assert rec["input"] == str(tmp_path / "e.txt") and rec["reason"] == "empty input (no text)"


# --- where the database is -------------------------------------------------------------------------
def test_eventwatch_db_env_var(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env_db = tmp_path / "env.db"
    r = cli("ingest", SAMPLES / "text", "-q", env={"EVENTWATCH_DB": str(env_db)})
    assert r.exit_code == 0 and env_db.exists() and not (tmp_path / "eventwatch.db").exists()
    r = cli("stats", "--json", env={"EVENTWATCH_DB": str(env_db)})
    assert json.loads(r.stdout)["articles"] == 3
    # --db wins over the environment
    r = cli("ingest", SAMPLES / "html", "-q", "--db", tmp_path / "flag.db", env={"EVENTWATCH_DB": str(env_db)})
    assert r.exit_code == 0 and (tmp_path / "flag.db").exists()
    assert json.loads(cli("stats", "--json", env={"EVENTWATCH_DB": str(env_db)}).stdout)["articles"] == 3


def test_default_database_in_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EVENTWATCH_DB", raising=False)
    r = cli("ingest", SAMPLES / "text", "-q", env={"EVENTWATCH_DB": None})
    assert r.exit_code == 0 and (tmp_path / "eventwatch.db").exists()


# --- entry points ------------------------------------------------------------------------------------
def test_python_dash_m(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    r = subprocess.run([sys.executable, "-m", "eventwatch", "--version"], capture_output=True, text=True, env=env)
    assert r.returncode == 0 and r.stdout.startswith("eventwatch ")
    db = tmp_path / "m.db"
    r = subprocess.run([sys.executable, "-m", "eventwatch", "ingest", str(SAMPLES / "text"), "--db", str(db)],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 0 and r.stdout == "" and "3 new" in r.stderr
    r = subprocess.run([sys.executable, "-m", "eventwatch", "ingest"], capture_output=True, text=True, env=env)
    assert r.returncode == 2


def test_console_script():
    exe = Path(sys.executable).with_name("eventwatch")
    if not exe.exists():
        pytest.skip("console script not installed next to this interpreter")
    r = subprocess.run([str(exe), "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "ingest" in r.stdout
