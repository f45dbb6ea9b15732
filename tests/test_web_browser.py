"""The web UI in a real browser: Playwright drives Debian's chromium (``make test`` installs it;
no browser is ever downloaded). Pages load against the sample database, filters are clicked
through, the reader's highlighted evidence is checked, a planted <script> must not run, and
every request must stay on 127.0.0.1. Screenshots go to test-artifacts/."""

from __future__ import annotations

import shutil
import socket
import threading
import time

import pytest
from test_api_data import SEED, artifacts, sample_db

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def base_url():
    if not CHROMIUM:
        pytest.skip("Debian's chromium is not installed (make test installs it with apt-get; it could not here)")
    import uvicorn

    from eventwatch.api import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = uvicorn.Server(uvicorn.Config(create_app(sample_db()), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser(base_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture()
def page(browser, base_url, request):
    """A fresh page; afterwards: every request went to 127.0.0.1, no CSP violation, no dialog."""
    ctx = browser.new_context(viewport={"width": 1360, "height": 900}, base_url=base_url)
    pg = ctx.new_page()
    requests, problems = [], []
    pg.on("request", lambda r: requests.append(r.url))
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    yield pg
    name = request.node.name.replace("test_", "")
    pg.screenshot(path=str(artifacts() / f"web-{name}.png"), full_page=True)
    ctx.close()
    outside = [u for u in requests if not u.startswith(base_url + "/")]
    assert not outside, f"requests left 127.0.0.1: {outside}"
    assert not problems, problems


def test_overview(page):
    page.goto("/")
    assert page.locator("svg.timeline rect").count() > 0
    assert page.locator("svg.timeline a.bar").count() > 0
    rows = page.locator("table.pairs tbody tr")
    assert rows.count() > 3
    first = rows.first.locator("a").inner_text()
    a, b = [x.strip() for x in first.split("⇄")]
    rows.first.locator("a").click()
    page.wait_for_url("**/events?**")
    assert "pair=" in page.url
    for row in page.locator("tr.event").all()[:20]:
        text = row.inner_text()
        assert a in text and b in text


def test_event_filters_and_reader(page):
    page.goto("/events")
    total = int(page.locator("#total").inner_text().replace(",", ""))
    page.fill("form.filters input[name=actor]", "USA")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/events?actor=USA")  # empty fields were dropped by app.js
    usa = int(page.locator("#total").inner_text().replace(",", ""))
    assert 0 < usa < total
    assert all("USA" in r.inner_text() for r in page.locator("tr.event").all())
    page.select_option("form.filters select[name=plover]", "ACCUSE")  # auto-submits
    page.wait_for_url("**plover=ACCUSE**")
    assert "actor=USA" in page.url
    rows = page.locator("tr.event")
    assert rows.count() > 0 and all("ACCUSE" in r.inner_text() for r in rows.all())
    rows.first.locator("a.open").click()
    page.wait_for_url("**/articles/**event=**")
    trigger = page.locator("#body mark[data-role=trigger]")
    assert trigger.count() >= 1
    panel_trigger = page.locator(".ev-trigger").inner_text().strip("“” ")
    assert "".join(t.inner_text() for t in trigger.all()) == panel_trigger
    assert page.locator("#body .hl-sentence").count() >= 1
    src = page.locator("#body mark[data-role=source]")
    if src.count():
        assert "".join(s.inner_text() for s in src.all()) == page.locator(".ev-source .atext").inner_text().strip()
    assert page.locator(".ev-code").inner_text().startswith("11")
    assert page.locator(".ev-modality").inner_text().strip() in ("asserted", "reported", "intended", "hypothetical", "negated")


def test_seed_evidence_highlighted(page):
    if not SEED.exists():
        pytest.skip("reference article not available")
    page.goto("/events?source=USA&target=RUS&cameo=112&since=2016-09-25&until=2016-09-25")
    row = page.locator("tr.event", has_text="barbarism").first
    row.locator("a.open").click()
    page.wait_for_url("**event=**")
    assert page.locator("#body mark[data-role=source]").first.inner_text() == "The United States"
    assert page.locator("#body mark[data-role=trigger]").first.inner_text() == "accused"
    assert page.locator("#body mark[data-role=target]").first.inner_text() == "Russia"
    sentence = "".join(x.inner_text() for x in page.locator("#body .hl-sentence").all())
    assert sentence.startswith("The United States accused Russia on Sunday of barbarism")
    assert "2016-09-25" in page.locator(".evidence-panel").inner_text()
    # Switching to another event of the article moves the highlight.
    other = page.locator(".article-events li:not(.selected) a").first
    other.click()
    page.wait_for_load_state()
    assert page.locator("#body mark[data-role=trigger]").count() >= 1


def test_map(page):
    page.goto("/map")
    svg = page.locator("svg#map")
    assert page.locator("svg#map path.country").count() > 150
    assert page.locator("svg#map circle.place").count() > 10
    assert page.locator("svg#map path.country.c0").count() < page.locator("svg#map path.country").count()
    before = svg.get_attribute("viewBox")
    page.click("#zoom button[data-zoom=in]")
    assert svg.get_attribute("viewBox") != before
    page.click("#zoom button[data-zoom=reset]")
    assert svg.get_attribute("viewBox") == before
    page.goto("/map?country=SYR")
    assert page.locator("svg#map circle.place").count() >= 1


def test_network(page):
    page.goto("/network")
    assert page.locator("svg#network path.edge").count() > 5
    assert page.locator("svg#network g.node").count() > 5
    assert page.locator("svg#network path.edge.conf").count() > 0
    assert page.locator("svg#network path.edge.coop").count() > 0
    page.click("text=code")
    page.wait_for_url("**level=code**")
    assert page.locator("svg#network g.node").count() > 5


def test_search(page):
    page.goto("/")
    page.fill("form.quicksearch input[name=q]", "ceasefire")
    page.press("form.quicksearch input[name=q]", "Enter")
    page.wait_for_url("**/search?q=ceasefire")
    assert int(page.locator("#hits").inner_text()) > 0
    assert page.locator("p.snippet mark.hit").count() > 0
    page.locator("a.hit-title").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator("#body").inner_text().strip()


def test_planted_script_does_not_run(page):
    for path in ("/", "/events?q=Donetsk", "/search?q=Donetsk"):
        page.goto(path)
        assert page.evaluate("() => window.__pwned") is None, path
    page.locator("a.hit-title", has_text="Planted").first.click()
    page.wait_for_url("**/articles/**")
    events = page.locator(".article-events li a")
    if events.count():
        events.first.click()
        page.wait_for_url("**event=**")
    assert page.evaluate("() => window.__pwned") is None
    assert "<script>window.__pwned=3</script>" in page.locator("#body").inner_text()
    assert "<script>window.__pwned=1</script>" in page.locator("h1.headline").inner_text()
    assert page.locator("a.source-url").count() == 0  # the javascript: URL is not a link
    page.locator("#body").hover()
    page.locator("p.meta").hover()
    assert page.evaluate("() => window.__pwned") is None


def test_api_docs_render_from_local_assets(page):
    page.goto("/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15000)
    assert "eventwatch" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock-summary-path", has_text="/api/events").count() >= 1
