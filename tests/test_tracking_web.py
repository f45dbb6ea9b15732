"""The tracker's API routes and pages (registry extensions eventwatch.tracking.api / .web)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from eventwatch.api import create_app
from eventwatch.api.registry import discover
from eventwatch.cli import app

DATA = Path(__file__).parent / "data" / "tracking"
# Invented report with markup in a quote: every page must show it as text.
PLANTED = {
    "id": "PL-1", "source": "Planted Wire", "date": "2016-09-16", "title": "Planted <b>truce</b> story",
    "text": "ALEPPO (Planted Wire) - Rebel groups accused government forces on Friday of violating the truce in Aleppo.\n\n"
            "\"<script>alert('x')</script> The truce is dead,\" rebel spokesman Ahmad Saeed said.",
}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    d = tmp_path_factory.mktemp("web")
    db = d / "w.db"
    planted = d / "planted.jsonl"
    planted.write_text(json.dumps(PLANTED) + "\n")
    runner = CliRunner()
    assert runner.invoke(app, ["agreements", "import", str(DATA / "pax_sample.csv"), str(DATA / "ethprio_sample.csv"),
                               "--db", str(db), "-q"]).exit_code == 0
    r = runner.invoke(app, ["run", str(DATA / "sept2016.jsonl"), str(planted), "--db", str(db), "-q"])
    assert r.exit_code == 0, r.output
    with TestClient(create_app(str(db))) as c:
        yield c


def test_extensions_are_registered():
    names = {e.name for e in discover(include_entry_points=False)}
    assert {"tracking", "tracking-api"} <= names


def test_api_agreements_and_timeline(client):
    res = client.get("/api/agreements", params={"party": "RUS", "place": "SYR", "since": "2016-09"}).json()
    ids = [r["id"] for r in res["items"]]
    assert "pax-2091" in ids and res["total"] >= 1
    rec = client.get("/api/agreements/pax-2091").json()
    assert {"RUS", "USA"} <= set(rec["parties"])
    states = {(s["state"], s["date"]) for s in rec["states"]}
    assert {("declared", "2016-09-09"), ("in_force", "2016-09-12"), ("collapsed", "2016-09-19")} <= states
    assert rec["mention_list"] and rec["accusations"]
    assert client.get("/api/agreements/nope").status_code == 404


def test_api_accusations_and_quotes(client):
    net = client.get("/api/accusations", params={"min_spike": 2}).json()
    assert any(s["sides"] == ["RUS", "USA"] for s in net["mutual_spikes"])
    rows = client.get("/api/accusations/rows", params={"party": "RUS"}).json()
    assert rows["total"] >= 2 and all("sentence_text" in r for r in rows["items"])
    items = client.get("/api/quotes", params={"speaker": "Orlov"}).json()["items"]
    assert items and {"text", "article_id", "start", "end", "speaker"} <= set(items[0])
    assert {"text", "code", "country"} <= set(items[0]["speaker"])
    assert client.get("/api/quotes", params={"kind": "bogus"}).status_code == 422


def test_pages_render_with_timeline_arrows(client):
    for path in ("/agreements", "/agreements?all=true", "/agreements/pax-2091", "/accusations",
                 "/accusations?level=actor", "/quotes", "/quotes?speaker=RUS&kind=direct"):
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:300])
    page = client.get("/agreements/pax-2091").text
    assert '<svg class="timeline"' in page
    arrows = re.findall(r'<line class="accusation"[^>]*data-accuser="([^"]*)" data-accused="([^"]*)"', page)
    assert ("RUS", "USA") in arrows
    assert client.get("/agreements/nope").status_code == 404


def test_markup_in_articles_stays_text(client):
    for path in ("/quotes", "/accusations", "/agreements/pax-2091"):
        html = client.get(path).text
        assert "<script>alert" not in html and "<b>truce</b>" not in html
    assert "&lt;script&gt;alert" in client.get("/quotes", params={"speaker": "Saeed"}).text
