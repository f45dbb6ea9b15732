"""The web UI: pages render, everything is escaped, nothing comes from outside (server-side checks).

The same pages in a real browser are in test_web_browser.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from importlib import resources

import pytest
from fastapi.testclient import TestClient
from test_api_data import SEED, sample_db

from eventwatch.api import create_app
from eventwatch.web.highlight import highlight

PAGES = ("/", "/events", "/map", "/network", "/search", "/search?q=ceasefire", "/docs",
         "/events?plover=ASSAULT&modality=asserted,reported", "/map?country=SYR", "/network?level=code&edges=100",
         "/?period=week&unit=mentions&level=country")
RESOURCE = re.compile(r"""<(?:script|link|img|iframe|source|video|audio|embed|object|image|use)\b[^>]*?\b(?:src|href|data|srcset|xlink:href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
CSS_URL = re.compile(r"""url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def db() -> str:
    return sample_db()


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


def planted_id(client) -> str:
    items = client.get("/api/articles", params={"q": "Donetsk"}).json()["items"]
    ids = [h["id"] for h in items if "Planted" in (h["title"] or "")]
    assert ids, "the planted article is missing"
    return ids[0]


def test_pages_render(client):
    for path in PAGES:
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        assert r.headers["content-type"].startswith("text/html")


class _Tags(HTMLParser):
    """Every real tag of a page (escaped text stays text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.script_bodies: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.script_bodies.append(data)


def test_no_outside_resources_in_templates_static_or_pages(client):
    web = resources.files("eventwatch.web")
    for folder in ("templates", "static"):
        for f in web.joinpath(folder).iterdir():
            text = f.read_text(encoding="utf-8")
            assert not RESOURCE.search(text), f"{folder}/{f.name} loads an outside resource"
            assert not CSS_URL.search(text), f"{folder}/{f.name} loads an outside resource"
            if f.name.endswith((".js", ".css")):
                assert not re.search(r"https?://", text), f"{folder}/{f.name} names an outside URL"
    for path in PAGES:
        parser = _Tags()
        parser.feed(client.get(path).text)
        assert parser.tags, path
        for tag, attrs in parser.tags:
            assert tag != "style" and "style" not in attrs, f"{path}: inline style <{tag}> (the CSP blocks it)"
            assert not [a for a in attrs if a.startswith("on")], f"{path}: inline event handler on <{tag}>"
            for a in ("src", "srcset", "data", "xlink:href") + (("href",) if tag in ("link", "image", "use") else ()):
                v = (attrs.get(a) or "").strip().lower()
                assert not v.startswith(("http:", "https:", "//")), f"{path}: <{tag} {a}={v}> loads from outside"
            if tag == "script":
                assert (attrs.get("src") or "").startswith("/static/"), f"{path}: script not from /static"
        assert not parser.script_bodies, f"{path}: inline script"


def test_planted_script_is_escaped_everywhere(client):
    aid = planted_id(client)
    pages = [f"/articles/{aid}", "/search?q=Donetsk", f"/events?article={aid}", "/events?q=Donetsk", "/"]
    ev = client.get("/api/events", params={"article": aid}).json()["items"]
    if ev:
        pages.append(f"/articles/{aid}?event={ev[0]['id']}")
    for path in pages:
        html = client.get(path).text
        assert "<script>window.__pwned" not in html, path
        assert "<img src=x" not in html and "<b onmouseover" not in html, path
    reader = client.get(f"/articles/{aid}").text
    assert "&lt;script&gt;window.__pwned=3&lt;/script&gt;" in reader
    assert "javascript:" not in reader.split("<main>")[1].split('class="source-url"')[0]  # no javascript: link
    assert 'href="javascript' not in reader


def test_reader_highlights_the_evidence(client):
    if not SEED.exists():
        pytest.skip("reference article not available")
    items = client.get("/api/events", params={"source": "USA", "target": "RUS", "cameo": "112", "since": "2016-09-25",
                                              "until": "2016-09-25"}).json()["items"]
    ev = [e for e in items if e["trigger"]["text"].startswith("accus")][0]
    r = client.get(f"/events/{ev['id']}", follow_redirects=True)
    assert r.status_code == 200
    body = r.text.split('id="body">', 1)[1].split("</div>", 1)[0]
    marks = dict((role, text) for role, text in re.findall(r'<mark class="hl[^"]*" data-role="(\w+)">([^<]*)</mark>', body))
    assert marks["source"] == "The United States" and marks["target"] == "Russia"
    assert marks["trigger"] == ev["trigger"]["text"]
    assert "hl-sentence" in body
    assert "1124" in r.text or ev["cameo"]["code"] in r.text


def test_highlight_escapes_and_overlaps():
    html = str(highlight("a <b> c & d", [(0, 11, "sentence"), (2, 5, "source"), (4, 9, "target")]))
    assert "<b>" not in html and "&lt;b" in html and "&amp;" in html
    assert 'data-role="source">&lt;b</mark>' in html and 'data-role="source">&gt;</mark>' in html
    assert 'class="hl hl-sentence hl-source hl-target"' in html


def test_error_pages_are_html_and_escaped(client):
    r = client.get("/events", params={"since": "<script>x</script>"})
    assert r.status_code == 400 and "<script>x" not in r.text and "&lt;script&gt;" in r.text
    assert client.get("/articles/nope").status_code == 404
