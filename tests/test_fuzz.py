"""Fuzzing ingest and coding (hypothesis, a fixed example budget, derandomised for CI):
random bytes, truncated and corrupt gzip and WARC, pathological HTML, enormous sentences
and every Unicode category never crash a stage, and every reject says why."""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from eventwatch.archive.ingest import prepare
from eventwatch.extract import article_id
from eventwatch.model import Article, RawDoc, Reject, Skip
from eventwatch.sources import iter_stream

ROOT = Path(__file__).resolve().parents[1]
WARC = (ROOT / "samples" / "warc" / "crawl-sample.warc.gz").read_bytes()
WARC_RAW = gzip.decompress(WARC)
MAX = 256 * 1024
FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def run_ingest_stages(data: bytes, name: str = "fuzz.bin") -> list:
    """Read one byte string as an input and extract every document it holds; check the contract."""
    out = []
    for item in iter_stream(name, io.BytesIO(data), MAX, size=len(data)):
        assert isinstance(item, (RawDoc, Reject, Skip)), item
        res = prepare(item)
        out.append(res)
        if isinstance(res, Reject):
            assert res.reason.strip() and res.input == name and res.stage in ("read", "extract"), res
        elif isinstance(res, Skip):
            assert res.reason.strip()
        else:
            art, _sig, _sh = res
            assert isinstance(art, Article) and art.body.strip() and art.id == article_id(art.body)
    return out


@FUZZ
@given(st.binary(max_size=4096))
@example(b"")
@example(b"\x1f\x8b")
@example(b"\x1f\x8b\x08\x00" + b"\x00" * 20)
@example(b"WARC/1.0\r\n")
@example(b"\xef\xbb\xbf{\"text\": 1}\n")
def test_random_bytes(data):
    run_ingest_stages(data)


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_gzipped(data):
    run_ingest_stages(gzip.compress(data), "fuzz.gz")


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(WARC)), flips=st.lists(
    st.tuples(st.integers(min_value=0, max_value=len(WARC) - 1), st.integers(min_value=1, max_value=255)),
    max_size=4))
def test_truncated_and_corrupt_warc_gz(cut, flips):
    data = bytearray(WARC[:cut])
    for pos, xor in flips:
        if pos < len(data):
            data[pos] ^= xor
    out = run_ingest_stages(bytes(data), "crawl.warc.gz")
    if not flips and cut == len(WARC):
        assert sum(isinstance(r, tuple) for r in out) == 5


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(WARC_RAW)),
       junk=st.binary(max_size=64), at=st.integers(min_value=0, max_value=len(WARC_RAW)))
def test_truncated_and_spliced_plain_warc(cut, junk, at):
    data = WARC_RAW[:at] + junk + WARC_RAW[at:]
    run_ingest_stages(data[:cut], "crawl.warc")


def _nest(depth: int, tag: str = "div") -> str:
    return f"<{tag}>" * depth + "<p>The president met the minister in the capital on Monday.</p>" + f"</{tag}>" * depth


PATHOLOGICAL = [
    "<html><body>" + _nest(20000) + "</body></html>",
    "<html><body>" + _nest(3000, "table") + "</body></html>",
    '<html><body><p title="' + "x" * 3_000_000 + '">Troops crossed the border.</p></body></html>',
    "<html><body>" + "<p>" * 50000 + "</body></html>",
    "<html><body><p>" + ("word " * 200_000) + "</p></body></html>",
    "<html><head><meta charset='x-unknown'></head><body>\x00\x00<p>Nul bytes\x00 here.</p></body></html>",
    "<!DOCTYPE html><html>" + "<!--" * 10000 + "</html>",
    "<html><body><script>" + "a" * 500_000 + "</script></body></html>",
    "<svg><svg><svg>" * 3000,
]


@pytest.mark.parametrize("html", PATHOLOGICAL, ids=lambda h: f"{len(h)}-chars")
def test_pathological_html(html):
    data = html.encode("utf-8", "surrogatepass")
    res = prepare(RawDoc(origin="page.html", kind="html", data=data[: 5 * 1024 * 1024]))
    assert isinstance(res, (Reject, tuple))
    if isinstance(res, Reject):
        assert res.reason.strip()


_ALL_CATEGORIES = st.characters(codec=None, categories=None)  # every category, surrogates and controls included


@FUZZ
@given(st.text(alphabet=_ALL_CATEGORIES, max_size=3000), st.sampled_from(["textpage", "html"]))
def test_every_unicode_category_through_extraction(text, kind):
    data = text.encode("utf-8", "surrogatepass")
    if kind == "html":
        data = b"<html><body><p>" + data + b"</p></body></html>"
    res = prepare(RawDoc(origin="doc", kind=kind, data=data))
    assert isinstance(res, (Reject, Skip, tuple))
    if isinstance(res, Reject):
        assert res.reason.strip()


@FUZZ
@given(st.lists(st.text(alphabet=_ALL_CATEGORIES, max_size=400), max_size=5))
def test_jsonl_records_with_any_text(texts):
    import json

    lines = "\n".join(json.dumps({"text": t, "id": str(i)}) for i, t in enumerate(texts)).encode()
    run_ingest_stages(lines, "feed.jsonl")


# --- coding -------------------------------------------------------------------------------------------------
def _article(body: str) -> Article:
    return Article(id=article_id(body) if body.strip() else "empty", body=body, lang="en", published="2025-01-01")


ENORMOUS = [
    "The minister said " + "that the army " * 3000 + "attacked the village.",  # one 42k-character sentence
    "Police " + "and protesters " * 3000 + "clashed in the capital on Monday",  # no full stop at all
    ("Rebels attacked. " * 2000),  # 2,000 short sentences
    "\u200b".join("The president met the king in Riyadh.".split()) * 200,  # zero-width spaces only
    "\u0661\u0662 " * 3000 + "The UN condemned the attack.",
    "",
    " \n\t ",
]


@pytest.fixture(scope="module")
def coder():
    from eventwatch.events.pipeline import warm

    warm()


def check_coded(articles, coded):
    assert [c.article_id for c in coded] == [a.id for a in articles]
    for c in coded:
        assert c.status in ("ok", "failed", "skipped")
        if c.status != "ok":
            assert c.reason and c.reason.strip()
        for e in c.events:
            assert 0 <= e.trigger_start < e.trigger_end
            assert e.cameo and e.sentence_text


def test_enormous_and_degenerate_texts_are_coded_or_explained(coder):
    from eventwatch.events.pipeline import code_batch

    arts = [_article(b) for b in ENORMOUS]
    check_coded(arts, code_batch(arts))


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=_ALL_CATEGORIES, min_size=1, max_size=1500), min_size=1, max_size=3),
       st.sampled_from(["en", "und", None, "fr"]))
def test_coding_any_unicode(coder, bodies, lang):
    from eventwatch.events.pipeline import code_batch

    arts = []
    for i, b in enumerate(bodies):
        a = _article(b)
        a.id, a.lang = f"{i}-{a.id}", lang
        arts.append(a)
    check_coded(arts, code_batch(arts))


def test_corrupt_zlib_payload_in_warc_record_is_explained():
    body = zlib.compress(b"<html><body><p>x</p></body></html>")[:-6]
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: deflate\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    rec = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x.example/a\r\n"
           b"WARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2025-01-01T00:00:00Z\r\n"
           b"Content-Type: application/http; msgtype=response\r\nContent-Length: "
           + str(len(http)).encode() + b"\r\n\r\n" + http + b"\r\n\r\n")
    out = run_ingest_stages(rec, "x.warc")
    assert any(isinstance(r, Reject) and "decode" in r.reason for r in out)
