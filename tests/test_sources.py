"""Sources: content detection, every input shape, stdin, globs, directories, compression."""

from __future__ import annotations

import gzip
import io
import json
import os
import threading
from pathlib import Path

import pytest

from eventwatch.model import RawDoc, Reject, Skip
from eventwatch.sources import expand_paths, iter_inputs
from eventwatch.sources.detect import sniff
from eventwatch.sources.streams import DamagedStream, SafeGzip

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

PROSE = ("The two governments agreed on Monday to reopen the border crossing after talks in the capital, "
         "officials said, ending a closure that had lasted three weeks and stranded hundreds of trucks.")
HTML = (f"<!DOCTYPE html><html><head><title>Border to reopen | Example Times</title></head>"
        f"<body><nav><a href='/'>Home</a></nav><article><h1>Border to reopen</h1>"
        f"<p>{PROSE}</p><p>{PROSE.replace('Monday', 'Tuesday')}</p></article></body></html>").encode()
TEXTPAGE = f"Border to reopen | Example Times\n\n{PROSE}\n\n{PROSE.replace('Monday', 'Friday')}\n".encode()
JSONL = "".join(json.dumps({"text": PROSE + f" Item {i}.", "id": f"x{i}"}) + "\n" for i in range(3)).encode()


def warc_bytes(pages: list[tuple[str, bytes, str]], extra_headers: dict | None = None) -> bytes:
    """A plain WARC with a request/response pair per page (via warcio)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    for url, body, ctype in pages:
        headers = [("Content-Type", ctype), ("Content-Length", str(len(body)))]
        headers += list((extra_headers or {}).items())
        req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
        w.write_record(w.create_warc_record(url, "request", http_headers=req))
        status = "404 Not Found" if "missing" in url else "200 OK"
        resp = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                            http_headers=resp))
    return buf.getvalue()


def items(paths, **kw) -> list:
    return list(iter_inputs([str(p) for p in paths], **kw))


def docs(paths, **kw) -> list[RawDoc]:
    return [x for x in items(paths, **kw) if isinstance(x, RawDoc)]


# --- detection by content ------------------------------------------------------------------
@pytest.mark.parametrize(
    "data, kind",
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (HTML, "html"),
        (b"<p>one</p><p>two</p><div>three</div>", "html"),
        (TEXTPAGE, "textpage"),
        (JSONL, "jsonl"),
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "warc"),
        (gzip.compress(HTML), "gzip"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary"),
        (b"%PDF-1.7\n%text-like header\n", "binary"),
        (bytes(range(256)) * 4, "binary"),
        ("\ufeff".encode("utf-8") + TEXTPAGE, "textpage"),
        ("\ufeff<html><body><p>x</p></body></html>".encode("utf-16"), "html"),
    ],
)
def test_sniff(data, kind):
    assert sniff(data) == kind


def test_stray_nul_is_not_binary():
    assert sniff(HTML.replace(b"</article>", b"\x00</article>")) == "html"


@pytest.mark.parametrize(
    "name, data, kind",
    [
        ("story.txt", HTML, "html"),  # HTML saved with a .txt name
        ("page.html", TEXTPAGE, "textpage"),  # plain text saved as .html
        ("feed.dat", JSONL, "record"),
        ("noext", TEXTPAGE, "textpage"),
    ],
)
def test_kind_from_content_not_extension(tmp_path, name, data, kind):
    path = tmp_path / name
    path.write_bytes(data)
    got = docs([path])
    assert got and {d.kind for d in got} == {kind}


def test_warc_with_misleading_extension(tmp_path):
    path = tmp_path / "archive.json"
    path.write_bytes(warc_bytes([("https://example.org/a", HTML, "text/html")]))
    (doc,) = docs([path])
    assert doc.kind == "html" and doc.url == "https://example.org/a"


# --- every shape ---------------------------------------------------------------------------
def test_textpage_and_html_shapes(tmp_path):
    (tmp_path / "a.txt").write_bytes(TEXTPAGE)
    (tmp_path / "b.html").write_bytes(HTML)
    got = docs([tmp_path / "a.txt", tmp_path / "b.html"])
    assert [d.kind for d in got] == ["textpage", "html"]
    assert got[0].data == TEXTPAGE and got[1].data == HTML
    assert got[0].origin.endswith("a.txt")


def test_jsonl_shape_keeps_fields_and_line_numbers(tmp_path):
    path = tmp_path / "feed.jsonl"
    rec = {"text": PROSE, "title": "T", "url": "https://e.org/1", "date": "2025-01-02", "source": "Wire",
           "id": 77, "lang": "en", "extra": "ignored"}
    path.write_text(json.dumps(rec) + "\n\n" + json.dumps({"text": PROSE + " Again."}) + "\n")
    got = docs([path])
    assert [d.location for d in got] == ["line 1", "line 3"]
    assert got[0].kind == "record"
    assert got[0].fields == {"text": PROSE, "title": "T", "url": "https://e.org/1", "date": "2025-01-02",
                             "source": "Wire", "id": "77", "lang": "en"}
    assert got[0].url == "https://e.org/1"


def test_json_documents(tmp_path):
    recs = [{"text": PROSE, "title": "One"}, {"text": PROSE + " Two.", "id": "b"}]
    arr = write_bytes(tmp_path / "arr.json", json.dumps(recs, indent=2).encode())
    one = write_bytes(tmp_path / "one.txt", json.dumps(recs[0], indent=2).encode())
    compact = write_bytes(tmp_path / "compact.json", json.dumps(recs).encode())
    got = docs([arr, one, compact])
    assert [(Path(d.origin).name, d.location) for d in got] == [
        ("arr.json", "item 1"), ("arr.json", "item 2"), ("one.txt", None), ("compact.json", "item 1"),
        ("compact.json", "item 2")]
    assert got[0].kind == "record" and got[0].fields["title"] == "One" and got[1].fields["id"] == "b"
    bad = write_bytes(tmp_path / "bad.json", json.dumps(recs, indent=2).encode()[:-5])
    (r,) = items([bad])
    assert isinstance(r, Reject) and r.reason.startswith("invalid JSON") and "line 9" in r.reason
    mixed = write_bytes(tmp_path / "mixed.json", json.dumps([recs[0], 3, {"title": "no text"}]).encode())
    got = items([mixed])
    assert isinstance(got[0], RawDoc)
    assert [(x.location, x.reason) for x in got[1:]] == [
        ("item 2", "expected a JSON object, got int"),
        ("item 3", "record has no 'text' (a non-empty string is required)")]


def test_jsonl_with_broken_first_line_stays_jsonl(tmp_path):
    path = write_bytes(tmp_path / "feed.jsonl", b'{"text": "cut off\n' + JSONL)
    got = items([path])
    assert isinstance(got[0], Reject) and got[0].location == "line 1"
    assert [x.location for x in got[1:]] == ["line 2", "line 3", "line 4"]


def test_jsonl_with_bom_and_crlf(tmp_path):
    path = write_bytes(tmp_path / "feed.jsonl", b"\xef\xbb\xbf" + JSONL.replace(b"\n", b"\r\n"))
    got = items([path])
    assert [x.location for x in got] == ["line 1", "line 2", "line 3"]
    assert all(isinstance(x, RawDoc) for x in got)


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_warc_shape_html_responses_only(tmp_path):
    path = tmp_path / "crawl.warc"
    path.write_bytes(warc_bytes([
        ("https://example.org/a", HTML, "text/html; charset=utf-8"),
        ("https://example.org/robots.txt", b"User-agent: *\n", "text/plain"),
        ("https://example.org/missing", b"<html>gone</html>", "text/html"),
        ("https://example.org/b", HTML.replace(b"Monday", b"Sunday"), "application/xhtml+xml"),
    ]))
    got = items([path])
    d = [x for x in got if isinstance(x, RawDoc)]
    skips = [x for x in got if isinstance(x, Skip)]
    assert [x.url for x in d] == ["https://example.org/a", "https://example.org/b"]
    assert all(x.kind == "html" and x.fetched for x in d)
    assert d[0].location.startswith("record 1 <https://example.org/a>")
    assert sorted(s.reason for s in skips) == ["HTTP status 404", "not HTML (text/plain)"]
    assert not [x for x in got if isinstance(x, Reject)]


def test_warc_payload_transfer_and_content_encoding(tmp_path):
    body = gzip.compress(HTML)
    chunked = b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"
    path = tmp_path / "encoded.warc"
    path.write_bytes(warc_bytes([("https://example.org/z", chunked, "text/html")],
                                {"Content-Encoding": "gzip", "Transfer-Encoding": "chunked"}))
    (doc,) = docs([path])
    assert doc.data == HTML


@pytest.mark.parametrize("encoding", ["br", "deflate", "x-gzip"])
def test_warc_payload_content_encodings(tmp_path, encoding):
    import zlib

    import brotli

    body = {"br": brotli.compress, "deflate": zlib.compress, "x-gzip": gzip.compress}[encoding](HTML)
    path = tmp_path / "encoded.warc"
    path.write_bytes(warc_bytes([("https://example.org/z", body, "text/html")], {"Content-Encoding": encoding}))
    (doc,) = docs([path])
    assert doc.data == HTML


def test_sample_warc_gz(tmp_path):
    got = items([SAMPLES / "warc" / "crawl-sample.warc.gz"])
    assert len([x for x in got if isinstance(x, RawDoc)]) == 5
    assert [x.reason for x in got if isinstance(x, Skip)] == ["not HTML (text/plain)"]


@pytest.mark.parametrize("name, data, kind, n", [
    ("page.html.gz", HTML, "html", 1),
    ("feed.jsonl.gz", JSONL, "record", 3),
    ("page.gz", TEXTPAGE, "textpage", 1),
    ("crawl.warc.gz", None, "html", 1),
])
def test_gzipped_inputs(tmp_path, name, data, kind, n):
    if data is None:
        data = warc_bytes([("https://example.org/a", HTML, "text/html")])
    path = tmp_path / name
    path.write_bytes(gzip.compress(data))
    got = docs([path])
    assert len(got) == n and {d.kind for d in got} == {kind}


# --- stdin ---------------------------------------------------------------------------------
class Pipe(io.RawIOBase):
    """A non-seekable stream without tell(), like a pipe."""

    def __init__(self, data: bytes):
        self._d = io.BytesIO(data)

    def readable(self):
        return True

    def readinto(self, b):
        chunk = self._d.read(min(len(b), 1000))
        b[: len(chunk)] = chunk
        return len(chunk)

    def tell(self):
        raise io.UnsupportedOperation("tell")

    def seek(self, *a):
        raise io.UnsupportedOperation("seek")


@pytest.mark.parametrize("data, kind, n", [
    (JSONL, "record", 3),
    (HTML, "html", 1),
    (TEXTPAGE, "textpage", 1),
    (None, "html", 2),  # a plain WARC read from a pipe
    (gzip.compress(JSONL), "record", 3),
])
def test_stdin(data, kind, n):
    if data is None:
        data = warc_bytes([("https://e.org/1", HTML, "text/html"), ("https://e.org/2", HTML + b" ", "text/html")])
    got = list(iter_inputs(["-"], stdin=Pipe(data)))
    assert len(got) == n and all(isinstance(x, RawDoc) and x.kind == kind for x in got)
    assert {x.origin for x in got} == {"<stdin>"}


def test_stdin_real_pipe():
    data = warc_bytes([("https://e.org/1", HTML, "text/html")])
    r, w = os.pipe()

    def feed():
        with open(w, "wb") as fh:
            fh.write(data)

    t = threading.Thread(target=feed)
    t.start()
    with open(r, "rb") as fh:
        got = list(iter_inputs(["-"], stdin=fh))
    t.join()
    assert [x.url for x in got if isinstance(x, RawDoc)] == ["https://e.org/1"]


# --- paths: directories, globs, ignore files -------------------------------------------------
def make_tree(root: Path) -> None:
    (root / "a" / "b").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "top.txt").write_bytes(TEXTPAGE)
    (root / "a" / "one.html").write_bytes(HTML)
    (root / "a" / "b" / "two.html").write_bytes(HTML.replace(b"Monday", b"Sunday"))
    (root / "a" / "b" / "feed.jsonl").write_bytes(JSONL)
    (root / ".hidden" / "secret.html").write_bytes(HTML)
    (root / "a" / ".dotfile.txt").write_bytes(TEXTPAGE)


def test_directory_is_walked_recursively_in_order(tmp_path):
    make_tree(tmp_path)
    names = [Path(p).relative_to(tmp_path).as_posix() for p in expand_paths([str(tmp_path)])]
    assert names == ["top.txt", "a/one.html", "a/b/feed.jsonl", "a/b/two.html"]


def test_glob_patterns(tmp_path):
    make_tree(tmp_path)
    got = [Path(p).name for p in expand_paths([str(tmp_path / "**" / "*.html")])]
    assert sorted(got) == ["one.html", "two.html"]  # recursive; hidden directories are not matched
    # a glob that matches a directory walks it
    assert [Path(p).name for p in expand_paths([str(tmp_path / "a" / "*")])] == ["feed.jsonl", "two.html", "one.html"]
    (miss,) = list(expand_paths([str(tmp_path / "*.nothing")]))
    assert isinstance(miss, Reject) and "no files match" in miss.reason


def test_missing_path_is_rejected_and_batch_goes_on(tmp_path):
    (tmp_path / "ok.txt").write_bytes(TEXTPAGE)
    got = items([tmp_path / "nope.txt", tmp_path / "ok.txt"])
    assert isinstance(got[0], Reject) and "no such file" in got[0].reason and got[0].input.endswith("nope.txt")
    assert isinstance(got[1], RawDoc)


def test_ignore_file(tmp_path):
    make_tree(tmp_path)
    (tmp_path / "README.md").write_text("# about this corpus\n")
    (tmp_path / "a" / "b" / "build.py").write_text("print('hi')\n")
    (tmp_path / ".eventwatchignore").write_text("# not news\nREADME.md\n*.py\na/b/feed.jsonl\n")
    got = list(expand_paths([str(tmp_path)]))
    files = [Path(p).name for p in got if isinstance(p, str)]
    skipped = sorted(Path(s.input).name for s in got if isinstance(s, Skip))
    assert files == ["top.txt", "one.html", "two.html"]
    assert skipped == ["README.md", "build.py", "feed.jsonl"]


def test_samples_directory_yields_only_news():
    got = items([SAMPLES])
    assert not [x for x in got if isinstance(x, Reject)]
    skipped = sorted(Path(x.input).name for x in got if isinstance(x, Skip))
    assert skipped == ["README.md", "build_warc.py", "crawl-sample.warc.gz"]  # the last: its robots.txt
    kinds = sorted({x.kind for x in got if isinstance(x, RawDoc)})
    assert kinds == ["html", "record", "textpage"]


# --- limits and damage at the source level -----------------------------------------------------
def test_size_limits(tmp_path):
    (tmp_path / "big.txt").write_bytes(TEXTPAGE * 100)
    (r,) = items([tmp_path / "big.txt"], max_bytes=1000)
    assert isinstance(r, Reject) and "over the" in r.reason and "--max-size" in r.reason
    (tmp_path / "big.html.gz").write_bytes(gzip.compress(HTML * 50))
    (r,) = items([tmp_path / "big.html.gz"], max_bytes=1000)
    assert isinstance(r, Reject) and "over the" in r.reason
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"text": "x" * 5000}) + "\n" + json.dumps({"text": PROSE}) + "\n")
    got = items([feed], max_bytes=1000)
    assert isinstance(got[0], Reject) and got[0].location == "line 1"
    assert isinstance(got[1], RawDoc) and got[1].location == "line 2"


def test_safe_gzip_returns_bytes_before_damage():
    members = b"".join(gzip.compress(f"record {i}\n".encode() * 100) for i in range(5))
    assert SafeGzip(io.BytesIO(members)).read() == b"".join(f"record {i}\n".encode() * 100 for i in range(5))
    cut = members[: len(members) - 10]
    reader = io.BufferedReader(SafeGzip(io.BytesIO(cut)))
    lines = []
    with pytest.raises(DamagedStream, match="truncated"):
        while line := reader.readline():
            lines.append(line)
    assert lines[:400] == [f"record {i}\n".encode() for i in range(4) for _ in range(100)]
    bad = bytearray(members)
    bad[len(members) // 2] ^= 0xFF
    with pytest.raises(DamagedStream, match="corrupt"):
        SafeGzip(io.BytesIO(bytes(bad))).read()
    # zero padding after the last member is not damage
    assert SafeGzip(io.BytesIO(members + b"\x00" * 64)).read().endswith(b"record 4\n")
