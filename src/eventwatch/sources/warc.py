"""WARC (and WARC.gz, decompressed by the caller) streamed record by record.

Only ``response`` records with an HTML payload become documents. A damaged stream
(truncated or corrupt gzip, cut-off record) yields one reject that says how many
records before the damage were kept; the records read so far stay in the batch.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecordType

from eventwatch.model import RawDoc, Reject, Skip
from eventwatch.sources.streams import Counting, too_big

_HTML_TYPES = ("text/html", "application/xhtml")


def iter_warc(origin: str, reader: BinaryIO, max_bytes: int) -> Iterator[RawDoc | Reject | Skip]:
    n = kept = 0
    try:
        # fastwarc needs tell() on its stream, which pipes and decompressors lack.
        it = ArchiveIterator(
            Counting(reader), record_types=WarcRecordType.response, parse_http=True, verify_digests=False
        )
        for record in it:
            n += 1
            uri = record.headers.get("WARC-Target-URI") or None
            where = f"record {n}" + (f" <{uri}>" if uri else "")
            item = _record(origin, record, uri, where, max_bytes)
            if item is not None:
                yield item
            kept += 1
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # noqa: BLE001 -- fastwarc reports some damage as a Rust panic
        yield Reject(
            origin,
            f"WARC stream damaged in or after response record {kept + 1} ({_reason(exc)}); "
            f"the {kept} response records before the damage were kept",
            f"after record {kept}",
            "read",
        )


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if isinstance(exc, OSError) else f"{type(exc).__name__}: {text}"


def _record(origin, record, uri, where, max_bytes) -> RawDoc | Reject | Skip | None:
    if record.headers.get("Content-Length") is None:  # required in every WARC record
        return Reject(origin, "incomplete WARC headers (record truncated or corrupt)", where, "read")
    http = record.http_headers
    status = http.status_code if http is not None else None
    if status is None:
        wtype = (record.headers.get("Content-Type") or "").lower()
        if wtype.startswith("application/http"):
            return Reject(origin, "unreadable HTTP headers (record truncated or corrupt)", where, "read")
        return Skip(origin, "response record without HTTP headers", where)  # e.g. dns: records
    if not 200 <= status < 300:
        return Skip(origin, f"HTTP status {status}", where)
    ctype = (http.get("Content-Type") or "").lower()
    if ctype and not ctype.startswith(_HTML_TYPES):
        return Skip(origin, f"not HTML ({ctype.split(';')[0]})", where)
    if record.content_length > max_bytes:
        return Reject(origin, too_big(record.content_length, max_bytes, "record"), where, "read")
    expected = record.content_length  # payload length once the HTTP headers are parsed
    body = record.reader.read()
    if len(body) < expected:
        return Reject(
            origin,
            f"record is truncated ({len(body)} of {expected} payload bytes)",
            where,
            "read",
        )
    try:
        body = _decode_transfer(body, http)
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        return Reject(origin, f"cannot decode HTTP payload: {exc}", where, "read")
    if not body.strip():
        return Reject(origin, "empty HTML payload", where, "read")
    return RawDoc(
        origin=origin,
        kind="html",
        data=body,
        location=where,
        url=uri,
        fetched=record.headers.get("WARC-Date") or None,
    )


def _decode_transfer(body: bytes, http) -> bytes:
    te = (http.get("Transfer-Encoding") or "").lower()
    if "chunked" in te:
        body = _dechunk(body)
    ce = (http.get("Content-Encoding") or "").lower().strip()
    if ce in ("gzip", "x-gzip"):
        body = gzip.decompress(body)
    elif ce == "deflate":
        try:
            body = zlib.decompress(body)
        except zlib.error:
            body = zlib.decompress(body, -zlib.MAX_WBITS)
    elif ce == "br":
        import brotli

        body = brotli.decompress(body)
    return body


def _dechunk(body: bytes) -> bytes:
    """Undo HTTP chunked transfer coding; leave bodies that are not chunked alone."""
    out, pos = bytearray(), 0
    while True:
        eol = body.find(b"\r\n", pos)
        if eol < 0:
            return body
        try:
            size = int(body[pos:eol].split(b";")[0].strip(), 16)
        except ValueError:
            return body
        if size == 0:
            return bytes(out)
        out += body[eol + 2 : eol + 2 + size]
        pos = eol + 2 + size + 2
