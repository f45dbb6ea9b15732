"""JSONL: one article per line with ``text`` and optional metadata."""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from eventwatch.model import RawDoc, Reject
from eventwatch.sources.streams import too_big

FIELDS = ("text", "title", "url", "date", "source", "id", "lang")


def iter_jsonl(origin: str, reader: BinaryIO, max_bytes: int) -> Iterator[RawDoc | Reject]:
    """Yield one ``record`` RawDoc per valid line; bad lines become rejects with their number."""
    lineno = 0
    while True:
        try:
            line = reader.readline(max_bytes + 2)
        except (OSError, EOFError, zlib.error) as exc:
            yield Reject(origin, f"stream damaged after line {lineno}: {exc}", f"after line {lineno}", "read")
            return
        if not line:
            return
        lineno += 1
        if lineno == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte-order mark
        where = f"line {lineno}"
        if len(line) > max_bytes and not line.endswith(b"\n"):
            # Skip the rest of the over-long line.
            while line and not line.endswith(b"\n"):
                line = reader.readline(1 << 20)
            yield Reject(origin, too_big(None, max_bytes, "record"), where, "read")
            continue
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Reject(origin, f"not UTF-8 (byte 0x{line[exc.start]:02x} at column {exc.start + 1})", where, "read")
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            msg = re.sub(r"\s+at$", "", exc.msg).lower()
            yield Reject(origin, f"invalid JSON ({msg} at column {exc.colno})", where, "read")
            continue
        if not isinstance(obj, dict):
            yield Reject(origin, f"expected a JSON object, got {type(obj).__name__}", where, "read")
            continue
        body = obj.get("text")
        if not isinstance(body, str) or not body.strip():
            yield Reject(origin, "record has no 'text' (a non-empty string is required)", where, "read")
            continue
        bad = [k for k in FIELDS[1:] if k in obj and obj[k] is not None and not isinstance(obj[k], (str, int))]
        if bad:
            yield Reject(origin, f"field {bad[0]!r} must be a string", where, "read")
            continue
        fields = {k: (str(obj[k]) if obj.get(k) is not None else None) for k in FIELDS}
        yield RawDoc(origin=origin, kind="record", location=where, fields=fields, url=fields["url"])
