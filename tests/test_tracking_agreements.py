"""Agreements tracked across articles: the September 2016 Syria ceasefire built from invented
reports (tests/data/tracking/sept2016.jsonl) and curated records (PA-X / ETH-PRIO layouts),
accusations, quotes in the store, CLI records, idempotent and incremental tracking."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwatch.cli import app
from eventwatch.store import Store
from eventwatch.tracking.accusations import mutual_spikes, network
from eventwatch.tracking.agreements import agreement_record

DATA = Path(__file__).parent / "data" / "tracking"
SEPT = DATA / "sept2016.jsonl"
PAX = DATA / "pax_sample.csv"
ETH = DATA / "ethprio_sample.csv"
runner = CliRunner()


def cli(*args):
    r = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
    return r


@pytest.fixture(scope="module")
def tracked(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("tracking") / "t.db"
    assert cli("agreements", "import", PAX, ETH, "--db", db, "-q").exit_code == 0
    r = cli("run", SEPT, "--db", db, "-q")  # ingest, code, then track
    assert r.exit_code == 0, r.output
    return db


def _states(rec, with_articles=True):
    out = []
    for s in rec["states"]:
        if with_articles and not s["articles"]:
            continue
        a, b = (s.get("accuser") or {}).get("country"), (s.get("accused") or {}).get("country")
        out.append((s["state"], s["date"]) + ((a, b) if s["state"] == "breach_alleged" else ()))
    return out


def test_import_joins_pax_and_ethprio_into_one_ceasefire(tmp_path):
    db = tmp_path / "i.db"
    assert cli("agreements", "import", PAX, ETH, "--db", db, "-q").exit_code == 0
    store = Store(db)
    rec = agreement_record(store, "pax-2091")
    assert {(r["dataset"], r["record_id"]) for r in rec["records"]} == {("pax", "2091"), ("ethprio", "84"), ("ethprio", "86")}
    assert _states(rec, with_articles=False) == [
        ("signed", "2016-09-09"), ("declared", "2016-09-09"), ("in_force", "2016-09-12"), ("renewed", "2016-09-14"),
        ("in_force", "2016-09-15"), ("collapsed", "2016-09-19")]
    assert {"RUS", "USA"} <= set(rec["parties"]) and {"RUS", "USA"} <= set(rec["brokers"])
    assert rec["type"] == "ceasefire" and rec["place"]["country"] == "SYR"
    feb = agreement_record(store, "pax-1507")  # joined through pax_id
    assert ("ethprio", "57") in {(r["dataset"], r["record_id"]) for r in feb["records"]}
    before = store.tracking_stats()
    assert cli("agreements", "import", PAX, ETH, "--db", db, "-q").exit_code == 0
    assert Store(db).tracking_stats() == before  # importing again replaces, never duplicates


def test_september_2016_timeline_from_invented_reports(tracked):
    store = Store(tracked)
    rec = agreement_record(store, "pax-2091")
    assert rec["articles"] == 7  # every Syria report; the Ukraine one is another agreement
    got = _states(rec)
    for expected in [
        ("declared", "2016-09-09"),                       # "on Friday announced an agreement for a … ceasefire"
        ("in_force", "2016-09-12"),                       # "took effect … on Monday", "will take effect … on Monday"
        ("renewed", "2016-09-14"),                        # "agreed on Wednesday to extend the ceasefire"
        ("breach_alleged", "2016-09-17", "RUS", "USA"),   # "Russia accused the United States … of violating"
        ("breach_alleged", "2016-09-17", "SYR", "SYR"),   # a rebel commander: "government forces had breached"
        ("collapsed", "2016-09-19"),                      # "declared … the seven-day truce … was over"
        ("revival_talks", "2016-09-21"),                  # "could still be revived"
        ("revival_talks", "2016-09-26"),                  # "in talks with the Pentagon on restoring"
        ("breach_alleged", "2016-09-26", "RUS", "USA"),   # "accused Washington of sabotaging the truce"
    ]:
        assert expected in got, (expected, got)
    in_force = next(s for s in rec["states"] if s["state"] == "in_force" and s["date"] == "2016-09-12")
    assert in_force["articles"] >= 3 and in_force["records"] == ["ethprio:84"]
    collapsed = next(s for s in rec["states"] if s["state"] == "collapsed")
    assert collapsed["date"] == "2016-09-19" and collapsed["articles"] >= 2  # "the collapse of …" joins it
    rebels = next(s for s in rec["states"] if s["state"] == "breach_alleged" and s["date"] == "2016-09-17"
                  and s["accuser"]["code"] == "SYRREB")
    assert rebels["accused"]["code"] == "SYRMIL" and rebels["modality"] == "reported"
    # every piece of evidence is the sentence at its offsets, and the cue lies inside it
    bodies = {r["id"]: r["body"] for r in store.conn.execute("SELECT id, body FROM articles")}
    for s in rec["states"]:
        for e in s["evidence"]:
            if e["article_id"]:
                assert bodies[e["article_id"]][e["start"] : e["end"]] == e["sentence"]
                assert e["start"] <= e["cue"]["start"] < e["cue"]["end"] <= e["end"]
    ukraine = [agreement_record(store, i) for i in store.list_agreement_ids(party="UKR")]
    assert len(ukraine) == 1 and ukraine[0]["place"]["country"] == "UKR"
    assert ("signed", "2016-09-21") in _states(ukraine[0])


def test_mentions_are_linked_with_confidence_and_reasons(tracked):
    rec = agreement_record(Store(tracked), "pax-2091")
    texts = {m["text"] for m in rec["mention_list"]}
    assert {"the truce", "the ceasefire"} <= texts
    assert any("brokered" in m["sentence"] for m in rec["mention_list"])
    assert all(0.55 <= m["link_confidence"] <= 1.0 and m["link_reason"] for m in rec["mention_list"])


def test_agreements_cli_jsonl_and_timeline(tracked):
    r = cli("agreements", "--db", tracked, "--party", "RUS", "--place", "SYR", "--since", "2016-09-01",
            "--until", "2016-09-30", "--format", "jsonl")
    recs = [json.loads(x) for x in r.stdout.splitlines()]
    ids = [x["id"] for x in recs]
    assert "pax-2091" in ids
    rec = recs[ids.index("pax-2091")]
    assert {"id", "parties", "brokers", "states", "place", "records"} <= set(rec)
    assert all({"state", "date", "evidence"} <= set(s) for s in rec["states"])
    r = cli("agreement", "pax-2091", "--db", tracked)
    assert r.exit_code == 0 and "collapsed" in r.stdout and "breach_alleged" in r.stdout
    assert cli("agreement", "nope", "--db", tracked).exit_code == 2


def test_accusation_network_and_mutual_spike(tracked):
    r = cli("accusations", "--db", tracked, "--format", "json", "--min-spike", "2")
    net = json.loads(r.stdout)
    edges = {(e["accuser"], e["accused"]): e for e in net["edges"]}
    assert edges["RUS", "USA"]["count"] >= 2 and edges["RUS", "USA"]["mutual"]
    assert "2016-09-26" in edges["USA", "RUS"]["weeks"]
    assert any(s["sides"] == ["RUS", "USA"] and s["week"] == "2016-09-26" for s in net["mutual_spikes"])
    rows = [json.loads(x) for x in cli("accusations", "--db", tracked, "--format", "jsonl").stdout.splitlines()]
    breach = [x for x in rows if x["agreement_id"] == "pax-2091"]
    assert breach and all(x["alleged_cameo"] == "196" for x in breach)


def test_mutual_spikes_need_both_sides_and_a_jump():
    def row(a, b, d):
        return {"accuser_code": a, "accuser_country": a, "accuser_sector": None, "accused_code": b,
                "accused_country": b, "accused_sector": None, "alleged_event": None, "alleged_cameo": None,
                "date": d, "article_id": "x", "sentence_text": "", "sentence_start": 0, "sentence_end": 0,
                "origin": "event", "agreement_id": None}
    rows = [row("RUS", "USA", "2016-09-05"), row("RUS", "USA", "2016-09-13")]
    rows += [row("RUS", "USA", "2016-09-26")] * 3 + [row("USA", "RUS", "2016-09-27")] * 2
    rows += [row("IRN", "ISR", "2016-09-26")] * 5  # one-sided: never a mutual spike
    net = network(rows)
    assert [(s["sides"], s["week"]) for s in net["mutual_spikes"]] == [(["RUS", "USA"], "2016-09-26")]
    assert mutual_spikes({}, set()) == []


def test_quotes_cli_records_and_speaker_filter(tracked):
    r = cli("quotes", "--db", tracked, "--speaker", "Orlov", "--format", "jsonl")
    quotes = [json.loads(x) for x in r.stdout.splitlines()]
    assert quotes and all("Orlov" in (q["speaker"]["text"] + (q["speaker"]["name"] or "")) for q in quotes)
    store = Store(tracked)
    for q in quotes:
        assert {"text", "article_id", "start", "end"} <= set(q) and {"text", "code", "country"} <= set(q["speaker"])
        body = store.conn.execute("SELECT body FROM articles WHERE id = ?", (q["article_id"],)).fetchone()[0]
        assert body[q["start"] : q["end"]] == q["text"]
    two = [json.loads(x) for x in cli("quotes", "--db", tracked, "--kind", "direct", "--format", "jsonl").stdout.splitlines()]
    assert any(q["paragraphs"] == 2 and q["speaker"]["code"] == "USAGOV" for q in two)  # the quote over two paragraphs


def test_tracking_is_incremental_and_idempotent(tracked, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(tracked, db)
    for ext in ("-wal", "-shm"):
        if Path(str(tracked) + ext).exists():
            shutil.copy(str(tracked) + ext, str(db) + ext)

    def snapshot():
        store = Store(db)
        return json.dumps([agreement_record(store, i) for i in store.list_agreement_ids()], sort_keys=True)

    before = snapshot()
    r = cli("track", "--db", db, "--json", "-q")
    assert json.loads(r.stdout)["articles"] == 0  # nothing new: nothing done
    assert cli("track", "--all", "--db", db, "-q").exit_code == 0
    assert snapshot() == before  # tracking everything again gives the same agreements, ids and evidence
    store = Store(db)
    aid = store.conn.execute("SELECT id FROM articles WHERE title LIKE 'US and Russia trade blame%'").fetchone()[0]
    ev = store.conn.execute("SELECT id FROM events WHERE article_id = ? AND trigger_text = 'accused' "
                            "AND source_country = 'USA'", (aid,)).fetchone()[0]
    assert store.conn.execute("SELECT COUNT(*) FROM accusations WHERE event_id = ?", (ev,)).fetchone()[0] == 1
    with store.transaction():  # the article is coded again and the accusation is gone from its events
        store.conn.execute("DELETE FROM events WHERE id = ?", (ev,))
        store.conn.execute("UPDATE coded_articles SET events = events - 1, coded_at = '2099-01-01T00:00:00+00:00' "
                           "WHERE article_id = ?", (aid,))
    r = cli("track", "--db", db, "--json", "-q")
    assert json.loads(r.stdout)["articles"] == 1  # only that article
    store = Store(db)
    assert store.conn.execute("SELECT COUNT(*) FROM accusations WHERE event_id = ?", (ev,)).fetchone()[0] == 0
    assert store.conn.execute("SELECT coded_at FROM tracked_articles WHERE article_id = ?", (aid,)).fetchone()[0] \
        .startswith("2099-01-01")
