"""Exports read back with pyarrow and csv: column counts, types and values; filters; dyads."""

from __future__ import annotations

import csv
import io
import json

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from test_api_data import SEED, sample_db
from typer.testing import CliRunner

from eventwatch.cli import app
from eventwatch.export import gdelt, icews, tables
from eventwatch.store import Store
from eventwatch.store import query as Q

runner = CliRunner()


@pytest.fixture(scope="module")
def db() -> str:
    return sample_db()


@pytest.fixture(scope="module")
def store(db):
    s = Store(db)
    yield s
    s.close()


@pytest.fixture()
def seed(store):
    if not SEED.exists():
        pytest.skip(f"reference article not found at {SEED}")
    return store.scalar("SELECT id FROM articles WHERE outlet = 'Asharq Al-Awsat' OR body LIKE '%barbarism%' LIMIT 1")


def _export(db, tmp_path, fmt, *args, name=None):
    out = tmp_path / (name or f"out.{fmt}")
    r = runner.invoke(app, ["export", "--db", db, "--format", fmt, "--out", str(out), "--quiet", *args])
    assert r.exit_code == 0, r.output
    return out


def _gdelt_table(path, columns):
    return pacsv.read_csv(path, read_options=pacsv.ReadOptions(column_names=columns),
                          parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False),
                          convert_options=pacsv.ConvertOptions(strings_can_be_null=True))


def test_gdelt_events_and_mentions(db, store, tmp_path, seed):
    out = _export(db, tmp_path, "gdelt", name="20160926.export.CSV")
    mentions = tmp_path / "20160926.mentions.CSV"
    assert mentions.exists()
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows and all(len(r) == 61 for r in rows)
    assert len(rows) == store.scalar("SELECT COUNT(*) FROM event_groups")
    t = _gdelt_table(out, gdelt.EVENT_COLUMNS)
    assert t.num_columns == 61 and t.column_names[:3] == ["GLOBALEVENTID", "SQLDATE", "MonthYear"]
    assert t.column_names[-2:] == ["DATEADDED", "SOURCEURL"] and t.column_names[26] == "EventCode"
    assert t.schema.field("GLOBALEVENTID").type == pa.int64()
    assert t.schema.field("SQLDATE").type == pa.int64()
    assert t.schema.field("GoldsteinScale").type == pa.float64()
    assert t.schema.field("ActionGeo_Lat").type == pa.float64()
    recs = t.to_pylist()
    assert len({r["GLOBALEVENTID"] for r in recs}) == len(recs)
    # USA accused Russia (CAMEO 112x) on Sunday 2016-09-25, from the reference article.
    acc = [r for r in recs if r["Actor1Code"] == "USA" and r["Actor2Code"] == "RUS" and str(r["EventCode"]).startswith("112")]
    assert acc, "USA→RUS accusation missing"
    a = acc[0]
    assert a["SQLDATE"] == 20160925 and a["MonthYear"] == 201609 and a["Year"] == 2016
    assert a["Actor1CountryCode"] == "USA" and a["Actor2CountryCode"] == "RUS" and a["Actor1Name"] == "UNITED STATES"
    assert a["EventRootCode"] == 11 and a["QuadClass"] == 3 and a["GoldsteinScale"] < 0
    assert a["NumMentions"] >= 1 and a["NumSources"] >= 1 and a["NumArticles"] >= 1
    assert abs(a["FractionDate"] - (2016 + (9 * 30 + 25) / 365)) < 1e-3
    assert len(str(a["DATEADDED"])) == 14
    # Warplanes pounding Aleppo: CAMEO 195, placed at Aleppo with FIPS country code SY.
    air = [r for r in recs if str(r["EventCode"]) == "195" and r["ActionGeo_FeatureID"] == "170063"]
    assert air, "the Aleppo airstrike (195) is missing or unplaced"
    g = air[0]
    assert g["ActionGeo_CountryCode"] == "SY" and g["ActionGeo_Type"] == 4
    assert abs(g["ActionGeo_Lat"] - 36.2) < 0.1 and abs(g["ActionGeo_Long"] - 37.16) < 0.1
    assert g["ActionGeo_ADM1Code"].startswith("SY") and "Syria" in g["ActionGeo_FullName"]
    # Mentions: 16 columns, every mention belongs to an exported event, offsets point into the body.
    m = _gdelt_table(mentions, gdelt.MENTION_COLUMNS)
    assert m.num_columns == 16
    mrecs = m.to_pylist()
    assert {r["GlobalEventID"] for r in mrecs} <= {r["GLOBALEVENTID"] for r in recs}
    assert len(mrecs) == store.scalar("SELECT COUNT(*) FROM events WHERE event_key IS NOT NULL")
    mine = [r for r in mrecs if r["GlobalEventID"] == a["GLOBALEVENTID"]]
    assert mine and all(10 <= r["Confidence"] <= 100 for r in mine)
    body = store.article_body(seed)
    hit = [r for r in mine if r["MentionSourceName"] == "Asharq Al-Awsat"][0]
    assert body[hit["ActionCharOffset"]:].startswith("accus")
    assert body[hit["Actor1CharOffset"]:].startswith("The United States")
    assert body[hit["Actor2CharOffset"]:].startswith("Russia")
    assert hit["MentionDocLen"] == len(body) and hit["SentenceID"] >= 1


def test_gdelt_header_option_and_paths(db, tmp_path):
    out = _export(db, tmp_path, "gdelt", "--header", "--country", "SYR", name="syr.tsv")
    first = out.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert first == gdelt.EVENT_COLUMNS
    assert (tmp_path / "syr.mentions.tsv").read_text(encoding="utf-8").splitlines()[0].split("\t") == gdelt.MENTION_COLUMNS
    assert gdelt.mentions_path("a/b.export.CSV") == "a/b.mentions.CSV"
    assert gdelt.mentions_path("events") == "events.mentions"


def test_icews(db, store, tmp_path, seed):
    out = _export(db, tmp_path, "icews")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8")), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == icews.COLUMNS and len(rows[0]) == 20
    assert all(len(r) == 20 for r in rows)
    factual = store.scalar("SELECT COUNT(*) FROM events WHERE modality IN ('asserted', 'reported')")
    assert len(rows) - 1 == factual
    t = pacsv.read_csv(out, parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False))
    assert t.schema.field("Intensity").type == pa.float64() and t.schema.field("Event ID").type == pa.int64()
    recs = [r for r in t.to_pylist() if r["Source Country"] == "United States" and r["Target Country"] == "Russia"
            and str(r["CAMEO Code"]).startswith("112")]
    assert recs and str(recs[0]["Event Date"]) == "2016-09-25" and recs[0]["Publisher"] == "Asharq Al-Awsat"
    assert recs[0]["Event Text"] and recs[0]["Intensity"] < 0


def test_polecat_plover_records(db, store, tmp_path, seed):
    out = _export(db, tmp_path, "polecat")
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert recs
    from eventwatch.events.codes import PLOVER_EVENTS

    for r in recs:
        assert {"id", "date", "actor", "recipient", "event", "mode", "context", "event_loc", "text_info"} <= set(r)
        assert isinstance(r["actor"], list) and r["actor"] and isinstance(r["recipient"], list)
        assert len(r["event"]) == 1 and r["event"][0] in PLOVER_EVENTS and r["event_type"] == r["event"][0]
        assert r["quad_code"] in (1, 2, 3, 4)
    body = store.article_body(seed)
    acc = [r for r in recs if r["story_id"] == seed and r["event"] == ["ACCUSE"]
           and any(a["code"] == "USA" for a in r["actor"]) and any(x["code"] == "RUS" for x in r["recipient"])]
    assert acc
    r = acc[0]
    ti = r["text_info"]
    assert body[ti["start"]:ti["end"]] == r["event_text"][0]
    assert body[ti["trigger"]["start"]:ti["trigger"]["end"]] == ti["trigger"]["text"]
    actor = r["actor"][0]
    assert body[actor["start"]:actor["end"]] == actor["entity_text"]
    located = [x for x in recs if x["event_loc"]]
    assert located and all(x["event_loc"]["resolution"] in (1, 2, 3, 4, 5) for x in located)
    # Auxiliary modes: hypothetical / future / negation travel in the context list.
    for x in recs:
        if x["modality"] == "hypothetical":
            assert "hypothetical" in x["context"]
        if x["modality"] == "intended":
            assert "future" in x["context"]


def test_parquet_csv_jsonl_geojson_agree(db, store, tmp_path):
    n = store.scalar("SELECT COUNT(*) FROM events")
    pqt = pq.read_table(_export(db, tmp_path, "parquet"))
    assert pqt.num_rows == n and pqt.column_names == tables.NAMES
    assert pqt.schema.field("date").type == pa.date32()
    assert pqt.schema.field("quad_class").type == pa.int8()
    assert pqt.schema.field("goldstein").type == pa.float64()
    assert pqt.schema.field("geonameid").type == pa.int64()
    rows = list(csv.DictReader(io.StringIO(_export(db, tmp_path, "csv").read_text(encoding="utf-8"))))
    assert len(rows) == n and list(rows[0]) == tables.NAMES
    lines = _export(db, tmp_path, "jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == n
    recs = [json.loads(x) for x in lines]
    assert {r["id"] for r in recs} == {r["id"] for r in rows} == set(pqt.column("id").to_pylist())
    geo = json.loads(_export(db, tmp_path, "geojson").read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection"
    assert len(geo["features"]) == store.scalar("SELECT COUNT(*) FROM events WHERE latitude IS NOT NULL")
    assert all(len(f["geometry"]["coordinates"]) == 2 for f in geo["features"])


@pytest.mark.parametrize("params", [
    {"since": "2025-03", "until": "2025-04"}, {"actor": "RUS"}, {"source": "USA"}, {"cameo": "19,18"},
    {"plover": "ACCUSE"}, {"quad": "4"}, {"modality": "reported,asserted"}, {"place": "Aleppo"},
    {"q": "ceasefire"}, {"outlet": "Meridian Wire"}, {"country": "SYR"}, {"pair": "RUS,USA"}, {"located": "1"},
])
def test_filters_match_python_reference(store, params):
    f = Q.EventFilter.from_params(params)
    got = {r["id"] for r in Q.iter_event_rows(store, f)}
    everything = list(store.iter_events())

    def ok(r):
        src, tgt = r["source"] or {}, r["target"] or {}

        def side(a, v):
            return (a.get("code") or "").startswith(v) or (len(v) == 3 and a.get("country") == v)

        if "since" in params and not (r["date"] and r["date"] >= "2025-03-01"):
            return False
        if "until" in params and not (r["date"] and r["date"] <= "2025-04-30"):
            return False
        if "actor" in params and not (side(src, "RUS") or side(tgt, "RUS")):
            return False
        if "source" in params and not side(src, "USA"):
            return False
        if "pair" in params and not ((side(src, "RUS") and side(tgt, "USA")) or (side(src, "USA") and side(tgt, "RUS"))):
            return False
        if "cameo" in params and r["cameo"]["root"] not in ("18", "19"):
            return False
        if "plover" in params and r["plover"]["event"] != "ACCUSE":
            return False
        if "quad" in params and r["cameo"]["quad_class"] != 4:
            return False
        if "modality" in params and r["modality"] not in ("asserted", "reported"):
            return False
        if "place" in params and not (r["place"] and "aleppo" in ((r["place"]["name"] or "").lower(), (r["place"]["text"] or "").lower())):
            return False
        if "q" in params and "ceasefire" not in r["sentence"]["text"].lower():
            return False
        if "outlet" in params and r["outlet"] != "Meridian Wire":
            return False
        if "country" in params and "SYR" not in (src.get("country"), tgt.get("country"), (r["place"] or {}).get("country")):
            return False
        if "located" in params and not (r["place"] and r["place"]["lat"] is not None):
            return False
        return True

    expected = {r["id"] for r in everything if ok(r)}
    assert got == expected
    assert Q.count_events(store, f) == len(expected)


def test_filter_errors_are_usage_errors(db):
    for args in (["--since", "2016-9"], ["--quad", "7"], ["--plover", "BOGUS"], ["--modality", "maybe"],
                 ["--cameo", "1a"], ["--pair", "RUS"], ["--format", "xml"]):
        r = runner.invoke(app, ["export", "--db", db, *args])
        assert r.exit_code == 2, (args, r.output)


def test_dyads_cli(db, store, tmp_path):
    r = runner.invoke(app, ["dyads", "--db", db, "--format", "csv", "--period", "month", "--level", "country"])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and list(rows[0]) == ["period", "actor_a", "actor_b", "count", "goldstein", "q1", "q2", "q3", "q4"]
    for row in rows:
        assert int(row["count"]) == sum(int(row[f"q{q}"]) for q in (1, 2, 3, 4))
        assert row["period"].endswith("-01")
    # Directed counts are deduplicated events: one per event group with a source and a target.
    expected = store.scalar("SELECT COUNT(*) FROM event_groups g WHERE g.date IS NOT NULL AND g.source_code IS NOT NULL "
                            "AND g.target_code IS NOT NULL AND g.target_code != ''")
    assert sum(int(x["count"]) for x in rows) == expected
    us = [x for x in rows if x["period"] == "2016-09-01" and x["actor_a"] == "USA" and x["actor_b"] == "RUS"]
    if SEED.exists():
        assert us and int(us[0]["q3"]) >= 1 and float(us[0]["goldstein"]) < 0
    und = runner.invoke(app, ["dyads", "--db", db, "--format", "jsonl", "--undirected", "--level", "country"])
    urows = [json.loads(x) for x in und.stdout.splitlines()]
    assert all(x["actor_a"] <= x["actor_b"] for x in urows)
    assert sum(x["count"] for x in urows) == expected
    weekly = Q.dyads(store, Q.EventFilter(), "week", True, "code", "mentions")
    from datetime import date

    assert all(date.fromisoformat(x["period"]).weekday() == 0 for x in weekly)
    table = runner.invoke(app, ["dyads", "--db", db, "--actor", "USA"])
    assert table.exit_code == 0 and "actor A" in table.stdout
