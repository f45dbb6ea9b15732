"""Coding into the archive: code/run/events commands, re-coding, exports, lexicon and code tables."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from eventwatch.cli import app
from eventwatch.events import codes
from eventwatch.events.lexicon import LexiconError, default_lexicon, parse
from eventwatch.store import Store

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_lexicon_parses_and_uses_only_valid_codes():
    lex = default_lexicon()
    assert lex.size > 500
    assert {c for c in lex.codes() if not codes.is_valid(c)} == set()
    roots = {c[:2] for c in lex.codes()}
    assert roots == {f"{i:02d}" for i in range(1, 21)}


def test_lexicon_errors_name_file_and_line():
    try:
        parse({"x.txt": "112 accuse tgt:obj\n999x bad\n112 blame bogus:1\n"}, "&A a b\n")
    except LexiconError as exc:
        msg = str(exc)
        assert "x.txt:2" in msg and "x.txt:3" in msg
    else:
        raise AssertionError("bad lexicon lines were accepted")


def test_code_tables():
    row = codes.lookup("0871")
    assert (row.root, row.quad_class, row.goldstein, row.plover_event, row.plover_mode) == ("08", 2, 9.0, "RETREAT", "ceasefire")
    assert codes.lookup("195").plover_mode == "aerial"
    assert codes.lookup("010").plover_event is None  # PLOVER dropped CAMEO 01
    assert {codes.lookup(c).plover_event for c in codes.table() if codes.lookup(c).plover_event} <= set(codes.PLOVER_EVENTS)
    assert codes.pentacode("010") == 0 and codes.pentacode("020") == 0 and codes.pentacode("036") == 1
    assert codes.pentacode("057") == 1 and codes.pentacode("0871") == 2 and codes.pentacode("112") == 3
    assert codes.pentacode("161") == 3 and codes.pentacode("145") == 4 and codes.pentacode("154") == 4


def test_run_codes_seed_and_recode_is_idempotent(seed_path, db_path):
    r = _run("run", seed_path, "--db", db_path, "--date", "2016-09-26", "--quiet")
    assert r.exit_code == 0, r.output
    store = Store(db_path)
    n = store.scalar("SELECT COUNT(*) FROM events")
    ids = {row[0] for row in store.query("SELECT id FROM events")}
    assert n >= 10
    # Running again adds nothing; --recode replaces with the same events.
    assert _run("run", seed_path, "--db", db_path, "--quiet").exit_code == 0
    assert _run("code", "--db", db_path, "--recode", "--quiet").exit_code == 0
    assert {row[0] for row in store.query("SELECT id FROM events")} == ids
    assert store.scalar("SELECT COUNT(*) FROM coded_articles") == 1
    # Children are stored after their parents and point at them.
    orphans = store.scalar("SELECT COUNT(*) FROM events WHERE parent IS NOT NULL AND parent NOT IN (SELECT id FROM events)")
    assert orphans == 0


def test_events_export_jsonl_and_csv(seed_path, db_path):
    assert _run("run", seed_path, "--db", db_path, "--date", "2016-09-26", "--quiet").exit_code == 0
    r = _run("events", "--db", db_path, "--format", "jsonl")
    recs = [json.loads(x) for x in r.stdout.splitlines()]
    assert recs
    keys = {"id", "article_id", "sentence", "trigger", "source", "target", "cameo", "plover", "modality",
            "attributed_to", "parent", "date", "date_precision", "date_source", "place"}
    assert keys <= set(recs[0])
    assert set(recs[0]["sentence"]) >= {"index", "text", "start", "end"}
    assert set(recs[0]["cameo"]) >= {"code", "root", "quad_class", "goldstein"}
    body = Store(db_path).get_article(recs[0]["article_id"]).body
    for rec in recs:
        s = rec["sentence"]
        assert body[s["start"] : s["end"]] == s["text"]
    sunday = [x for x in recs if x["trigger"]["text"] == "accused"]
    assert sunday and sunday[0]["date"] == "2016-09-25" and sunday[0]["date_source"] == "text"
    r = _run("events", "--db", db_path, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == len(recs) and rows[0]["cameo"] and "sentence_text" in rows[0]


def test_non_english_articles_are_archived_not_coded(tmp_path, db_path):
    f = tmp_path / "fr.jsonl"
    f.write_text(json.dumps({"text": "Le ministre russe des Affaires étrangères a accusé les États-Unis "
                             "de soutenir les rebelles syriens dans la région d'Alep, selon l'agence."}) + "\n")
    assert _run("run", f, "--db", db_path, "--quiet").exit_code == 0
    store = Store(db_path)
    assert store.scalar("SELECT status FROM coded_articles") == "skipped"
    assert store.scalar("SELECT COUNT(*) FROM events") == 0


def test_code_requires_an_existing_database(tmp_path):
    r = _run("code", "--db", tmp_path / "missing.db")
    assert r.exit_code == 2


def test_events_once_mentions_grouped_by_daily_key(tmp_path, db_path):
    # Two outlets report the same arrest on the same day; a third article reports it a week later.
    lines = [
        {"id": "a1", "source": "Wire A", "date": "2021-05-04",
         "text": "Egyptian police arrested an opposition leader in Cairo on Tuesday, officials said."},
        {"id": "a2", "source": "Paper B", "date": "2021-05-05",
         "text": "On Tuesday Egyptian police arrested an opposition leader, his lawyer told reporters in Cairo."},
        {"id": "a3", "source": "Paper B", "date": "2021-05-12",
         "text": "Egyptian police arrested an opposition leader on Wednesday, rights groups said in a statement."},
    ]
    f = tmp_path / "feed.jsonl"
    f.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    assert _run("run", f, "--db", db_path, "--quiet").exit_code == 0
    store = Store(db_path)
    groups = store.query("SELECT * FROM event_groups WHERE cameo LIKE '17%' ORDER BY date")
    assert [g["num_mentions"] for g in groups] == [2, 1]
    assert groups[0]["num_articles"] == 2 and groups[0]["num_sources"] == 2 and groups[0]["date"] == "2021-05-04"
    assert store.scalar("SELECT COUNT(*) FROM event_mentions WHERE event_key = ?", (groups[0]["key"],)) == 2
    # Weekly windows merge them; "none" gives no groups at all.
    r = _run("dedup", "--db", db_path, "--window", "week", "--json")
    assert r.exit_code == 0, r.output
    weekly = store.query("SELECT num_mentions FROM event_groups WHERE cameo LIKE '17%' ORDER BY date")
    assert [g["num_mentions"] for g in weekly] == [2, 1]  # 2021-05-03 week and 2021-05-10 week
    assert _run("dedup", "--db", db_path, "--window", "month").exit_code == 0
    assert [g["num_mentions"] for g in store.query("SELECT num_mentions FROM event_groups WHERE cameo LIKE '17%'")] == [3]
    assert _run("dedup", "--db", db_path, "--window", "fortnight").exit_code == 2
    # Re-coding keeps the groups consistent.
    assert _run("code", "--db", db_path, "--recode", "--quiet").exit_code == 0
    assert [g["num_mentions"] for g in store.query("SELECT num_mentions FROM event_groups WHERE cameo LIKE '17%'")] == [3]
