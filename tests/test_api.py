"""The HTTP API: endpoints, filters, errors, exports, docs from local assets, the write token, the registry."""

from __future__ import annotations

import io
import json
import shutil

import pyarrow.parquet as pq
import pytest
from fastapi import APIRouter
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient
from test_api_data import SEED, sample_db

from eventwatch.api import create_app
from eventwatch.api.registry import Extension, NavItem, discover
from eventwatch.store import HL_END, HL_START, Store


@pytest.fixture(scope="module")
def db() -> str:
    return sample_db()


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


def test_events_filter_page_and_detail(client):
    r = client.get("/api/events", params={"limit": 5})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    page = r.json()
    assert page["total"] > 100 and len(page["items"]) == 5 and page["limit"] == 5
    dates = [e["date"] for e in page["items"] if e["date"]]
    assert dates == sorted(dates, reverse=True)
    second = client.get("/api/events", params={"limit": 5, "offset": 5}).json()["items"]
    assert not {e["id"] for e in second} & {e["id"] for e in page["items"]}
    f = client.get("/api/events", params={"plover": "ASSAULT", "modality": "asserted,reported", "limit": 500}).json()
    assert f["items"] and all(e["plover"]["event"] == "ASSAULT" and e["modality"] in ("asserted", "reported") for e in f["items"])
    assert f["total"] == len(f["items"])
    ev = f["items"][0]
    d = client.get(f"/api/events/{ev['id']}").json()
    assert d["id"] == ev["id"] and d["article"]["id"] == ev["article_id"] and "children" in d
    body = client.get(f"/api/articles/{ev['article_id']}").json()["body"]
    assert body[d["trigger"]["start"]:d["trigger"]["end"]] == d["trigger"]["text"]
    assert body[d["sentence"]["start"]:d["sentence"]["end"]] == d["sentence"]["text"]
    if d["group"]:
        assert d["group"]["num_mentions"] == len(d["group"]["mentions"])
    assert client.get("/api/events/nope").status_code == 404


def test_seed_event_evidence(client):
    if not SEED.exists():
        pytest.skip("reference article not available")
    items = client.get("/api/events", params={"source": "USA", "target": "RUS", "cameo": "112", "since": "2016-09-25",
                                              "until": "2016-09-25"}).json()["items"]
    acc = [e for e in items if e["trigger"]["text"].startswith("accus")]
    assert acc and acc[0]["source"]["text"] == "The United States" and acc[0]["target"]["text"] == "Russia"


def test_filter_errors_are_400(client):
    for params in ({"since": "yesterday"}, {"quad": "9"}, {"plover": "HUG"}, {"actor": "R1"}, {"cameo": "abc"}):
        r = client.get("/api/events", params=params)
        assert r.status_code == 400 and "detail" in r.json(), params
    assert client.get("/api/events", params={"limit": 0}).status_code == 422
    assert client.get("/api/events", params={"sort": "random()"}).status_code == 422


def test_aggregates(client):
    dy = client.get("/api/dyads", params={"period": "month", "directed": "false", "level": "country"}).json()
    assert dy and all(x["actor_a"] <= x["actor_b"] and x["count"] == x["q1"] + x["q2"] + x["q3"] + x["q4"] for x in dy)
    tl = client.get("/api/timeline", params={"period": "year"}).json()
    assert tl["period"] == "year" and all(b["period"].endswith("-01-01") for b in tl["bins"])
    pairs = client.get("/api/pairs", params={"limit": 3}).json()
    assert len(pairs) == 3 and all(-1 <= p["balance"] <= 1 for p in pairs)
    net = client.get("/api/network").json()
    ids = {n["id"] for n in net["nodes"]}
    assert net["edges"] and all(e["source"] in ids and e["target"] in ids and 0 <= e["conflict_share"] <= 1 for e in net["edges"])
    places = client.get("/api/places").json()
    assert places and all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 for p in places)
    stats = client.get("/api/stats").json()
    assert stats["events"] >= sum(p["count"] for p in places)
    facets = client.get("/api/facets").json()
    assert "Meridian Wire" in facets["outlets"] and facets["date_range"][0] <= facets["date_range"][1]


def test_articles_list_search_get(client):
    page = client.get("/api/articles", params={"limit": 3}).json()
    assert page["total"] >= 28 and len(page["items"]) == 3
    hits = client.get("/api/articles", params={"q": "ceasefire"}).json()["items"]
    assert hits and all(HL_START in h["snippet"] and HL_END in h["snippet"] for h in hits)
    bad = client.get("/api/articles", params={"q": 'ceasefire AND ("'})
    assert bad.status_code == 200
    art = client.get(f"/api/articles/{hits[0]['id'][:8]}").json()
    assert art["id"] == hits[0]["id"] and isinstance(art["events"], list) and art["body"]
    assert client.get("/api/articles/ffffffffffff").status_code == 404


def test_exports_over_http(client, db):
    formats = {f["name"] for f in client.get("/api/export").json()}
    assert {"gdelt", "gdelt-mentions", "icews", "polecat", "jsonl", "csv", "parquet", "geojson"} <= formats
    r = client.get("/api/export/gdelt", params={"country": "SYR"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    lines = r.text.splitlines()
    assert lines and all(len(x.split("\t")) == 61 for x in lines)
    m = client.get("/api/export/gdelt-mentions", params={"country": "SYR"}).text.splitlines()
    assert m and all(len(x.split("\t")) == 16 for x in m)
    pqr = client.get("/api/export/parquet", params={"quad": "4"})
    t = pq.read_table(io.BytesIO(pqr.content))
    assert t.num_rows > 0 and set(t.column("quad_class").to_pylist()) == {4}
    recs = [json.loads(x) for x in client.get("/api/export/polecat", params={"plover": "ASSAULT"}).text.splitlines()]
    assert recs and all(r["event"] == ["ASSAULT"] for r in recs)
    assert client.get("/api/export/xml").status_code == 404


def test_openapi_and_local_docs(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/events/{event_id}", "/api/articles", "/api/articles/{article_id}", "/api/dyads",
                 "/api/places", "/api/network", "/api/export/{fmt}"):
        assert path in spec["paths"], path
    params = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"since", "until", "actor", "cameo", "plover", "modality", "place", "q", "outlet"} <= params
    assert "/api/ingest" not in spec["paths"]  # read-only without a token
    docs = client.get("/docs").text
    assert "/static/docs/swagger-ui-bundle.js" in docs and "http://" not in docs and "https://" not in docs
    for asset in ("/static/docs/swagger-ui-bundle.js", "/static/docs/swagger-ui.css", "/static/docs-swagger.js"):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/redoc").status_code == 404


def test_security_headers(client):
    for path in ("/", "/api/events?limit=1", "/static/app.css"):
        h = client.get(path).headers
        assert "script-src 'self'" in h["content-security-policy"] and "unsafe-inline" not in h["content-security-policy"]
        assert h["x-content-type-options"] == "nosniff"


def test_write_endpoints_need_the_token(db, tmp_path):
    # Read-only server: the write routes do not exist.
    with TestClient(create_app(db)) as ro:
        assert ro.post("/api/ingest", json={"articles": []}).status_code in (404, 405)
    copy = tmp_path / "rw.db"
    shutil.copy(db, copy)
    with TestClient(create_app(str(copy), token="s3cret-token")) as rw:
        doc = {"articles": [{"text": "Turkey condemned Greece on Tuesday over the arrest of fishermen near Lesbos.",
                             "title": "Turkey condemns Greece", "date": "2025-07-01", "source": "Token Test Wire"}]}
        assert rw.post("/api/ingest", json=doc).status_code == 401
        assert rw.post("/api/ingest", json=doc, headers={"Authorization": "Bearer wrong"}).status_code == 401
        r = rw.post("/api/ingest", json=doc, headers={"Authorization": "Bearer s3cret-token"})
        assert r.status_code == 200, r.text
        out = r.json()
        assert out["ingest"]["stored"] == 1 and out["code"]["articles"] == 1
        assert "/api/ingest" in rw.get("/openapi.json").json()["paths"]
        aid = out["stored_ids"][0]
        assert rw.get(f"/api/events?article={aid}").json()["total"] == out["code"]["events"]
        again = rw.post("/api/code", json={"articles": [aid]}, headers={"Authorization": "Bearer s3cret-token"})
        assert again.status_code == 200 and again.json()["articles"] == 1
    assert Store(str(copy)).get_article(aid).outlet == "Token Test Wire"


def test_registry_mounts_extensions(db):
    api, pages = APIRouter(), APIRouter()

    @api.get("/tracker/ping")
    def ping():
        return {"ok": True}

    @pages.get("/tracker")
    def tracker_page():
        return PlainTextResponse("tracker page")

    writer = APIRouter()

    @writer.post("/tracker/curate")
    def curate():
        return {"ok": True}

    extra = [Extension(name="tracker", api=api, pages=pages, nav=(NavItem("Tracker", "/tracker", 60),)),
             Extension(name="tracker-write", api=writer, write=True)]
    builtin = discover(include_optional=False, include_entry_points=False)
    assert {"events", "articles", "aggregates", "exports", "admin", "overview", "map", "network", "search"} <= {e.name for e in builtin}
    with TestClient(create_app(db, extensions=builtin + extra)) as c:
        assert c.get("/api/tracker/ping").json() == {"ok": True}
        assert c.get("/tracker").text == "tracker page"
        assert 'href="/tracker"' in c.get("/").text
        assert c.post("/api/tracker/curate").status_code in (404, 405)
    with TestClient(create_app(db, token="t", extensions=builtin + extra)) as c:
        assert c.post("/api/tracker/curate").status_code == 401
        assert c.post("/api/tracker/curate", headers={"Authorization": "Bearer t"}).json() == {"ok": True}


def test_reader_connections_of_ended_threads_are_closed(db):
    import threading

    from eventwatch.api.deps import StorePool

    pool = StorePool(db)
    try:
        for _ in range(6):  # the server's thread pool retires idle threads and starts new ones
            t = threading.Thread(target=lambda: pool.reader().conn.execute("SELECT 1").fetchone())
            t.start()
            t.join()
        assert pool.reader().conn.execute("SELECT count(*) FROM events").fetchone()[0] > 0
        assert pool.open_readers == 1  # only this thread's; the six ended threads' were closed
    finally:
        pool.close()
