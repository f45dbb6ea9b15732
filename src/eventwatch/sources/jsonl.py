"""JSONL: one article per line with ``text`` and optional metadata (also a ``.json`` array or object)."""

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
        yield _record(origin, obj, where)


def is_json_document(head: bytes) -> bool:
    """True when a ``{``/``[`` input is one JSON document (an array, or an object spread over
    lines) rather than JSON Lines: its first line is not a complete JSON value."""
    lines = [x.strip() for x in head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 3)[:3]]
    first = lines[0]
    if first.startswith(b"["):
        return True
    try:
        json.loads(first.decode("utf-8", errors="replace"))
    except ValueError:
        # "{" alone or '{"text": "…",' opening a pretty-printed object; but when the next
        # line opens another object, this is JSON Lines with a broken first line.
        nxt = next((x for x in lines[1:] if x), b"")
        return not first.endswith(b"}") and not nxt.startswith(b"{")
    return False


def iter_json_document(origin: str, reader: BinaryIO, max_bytes: int) -> Iterator[RawDoc | Reject]:
    """A ``.json`` file: one article object, or an array of them (``item N`` locations)."""
    try:
        data = reader.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        yield Reject(origin, f"corrupt or truncated data: {exc}", stage="read")
        return
    if len(data) > max_bytes:
        yield Reject(origin, too_big(None, max_bytes), stage="read")
        return
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        yield Reject(origin, f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", stage="read")
        return
    except json.JSONDecodeError as exc:
        msg = re.sub(r"\s+at$", "", exc.msg).lower()
        yield Reject(origin, f"invalid JSON ({msg} at line {exc.lineno}, column {exc.colno})", stage="read")
        return
    if isinstance(obj, list):
        for i, item in enumerate(obj, 1):
            yield _record(origin, item, f"item {i}")
    else:
        yield _record(origin, obj, None)


def _record(origin: str, obj, where: str | None) -> RawDoc | Reject:
    if not isinstance(obj, dict):
        return Reject(origin, f"expected a JSON object, got {type(obj).__name__}", where, "read")
    body = obj.get("text")
    if not isinstance(body, str) or not body.strip():
        return Reject(origin, "record has no 'text' (a non-empty string is required)", where, "read")
    bad = [k for k in FIELDS[1:] if k in obj and obj[k] is not None and not isinstance(obj[k], (str, int))]
    if bad:
        return Reject(origin, f"field {bad[0]!r} must be a string", where, "read")
    fields = {k: (str(obj[k]) if obj.get(k) is not None else None) for k in FIELDS}
    return RawDoc(origin=origin, kind="record", location=where, fields=fields, url=fields["url"])
