"""Sources: turn paths, directories, globs and stdin into a stream of raw documents.

Everything here streams: a WARC or JSONL file of any size is read record by record,
and each document is capped at ``max_bytes``. Problems are yielded as ``Reject``
records naming the input, never raised, so a batch always goes on.
"""

from __future__ import annotations

import glob
import io
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import BinaryIO

from eventwatch.model import RawDoc, Reject, Skip
from eventwatch.sources.detect import binary_format, sniff
from eventwatch.sources.jsonl import is_json_document, iter_json_document, iter_jsonl
from eventwatch.sources.streams import CHUNK, Counting, SafeGzip, too_big
from eventwatch.sources.warc import iter_warc

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_GLOB_CHARS = set("*?[")

Item = RawDoc | Reject | Skip


def expand_paths(paths: Iterable[str]) -> Iterator[str | Reject | Skip]:
    """Expand directories (recursively, skipping hidden entries) and globs into files."""
    for p in paths:
        if p == "-":
            yield p
            continue
        path = Path(p)
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            yield str(path)
        elif _GLOB_CHARS & set(p):
            matches = sorted(glob.glob(p, recursive=True))
            if not matches:
                yield Reject(p, "no files match this pattern", stage="read")
            for m in matches:
                if Path(m).is_dir():
                    yield from _walk(Path(m))
                elif Path(m).is_file():
                    yield m
        elif path.exists():
            yield Reject(p, "not a regular file or directory", stage="read")
        else:
            yield Reject(p, "no such file or directory", stage="read")


IGNORE_FILE = ".eventwatchignore"


def _walk(root: Path) -> Iterator[str | Skip]:
    """Files under ``root``, sorted, without hidden entries or those an ignore file lists.

    A ``.eventwatchignore`` file holds one glob pattern a line (``#`` comments), matched
    against paths relative to its directory and against bare names, for everything below
    that directory: a way to keep READMEs or scripts out of a corpus directory.
    """
    rules: list[tuple[str, list[str]]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if IGNORE_FILE in filenames:
            rules.append((dirpath, _read_ignore(os.path.join(dirpath, IGNORE_FILE))))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = os.path.join(dirpath, name)
            if _ignored(path, rules):
                yield Skip(path, f"listed in {IGNORE_FILE}")
            else:
                yield path


def _read_ignore(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = [x.strip() for x in fh]
    except OSError:
        return []
    return [x.rstrip("/") for x in lines if x and not x.startswith("#")]


def _ignored(path: str, rules: list[tuple[str, list[str]]]) -> bool:
    name = os.path.basename(path)
    for base, patterns in rules:
        rel = os.path.relpath(path, base)
        if rel.startswith(".."):
            continue
        parts = Path(rel).parts
        for pat in patterns:
            if fnmatch(rel, pat) or fnmatch(name, pat) or any(fnmatch(d, pat) for d in parts[:-1]):
                return True
    return False


def iter_inputs(
    paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES, stdin: BinaryIO | None = None
) -> Iterator[Item]:
    """Yield every raw document (or reject) found under ``paths``."""
    for p in expand_paths(paths):
        if isinstance(p, (Reject, Skip)):
            yield p
            continue
        if p == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from iter_stream("<stdin>", stream, max_bytes)
            continue
        try:
            size = os.path.getsize(p)
            fh = open(p, "rb")
        except OSError as exc:
            yield Reject(p, f"cannot read: {exc.strerror or exc}", stage="read")
            continue
        with fh:
            yield from iter_stream(p, fh, max_bytes, size=size)


def iter_stream(
    origin: str, stream: BinaryIO, max_bytes: int, size: int | None = None
) -> Iterator[Item]:
    """Detect what one byte stream holds and yield its documents."""
    reader = io.BufferedReader(Counting(stream), buffer_size=CHUNK)
    try:
        head = reader.peek(CHUNK)[:CHUNK]
    except OSError as exc:
        yield Reject(origin, f"cannot read: {exc}", stage="read")
        return
    kind = sniff(head)
    if kind == "gzip":
        gz = SafeGzip(reader)
        head = gz.head(CHUNK)
        if not head and gz.error is not None:
            yield Reject(origin, f"corrupt or truncated gzip data: {gz.error}", stage="read")
            return
        kind = sniff(head)
        if kind == "gzip":
            yield Reject(origin, "gzip inside gzip is not supported", stage="read")
            return
        reader, size = io.BufferedReader(gz, buffer_size=CHUNK), None
    if kind == "empty":
        yield Reject(origin, "empty input (no text)", stage="read")
    elif kind == "binary":
        fmt = binary_format(head)
        yield Reject(
            origin,
            f"binary data{f' ({fmt})' if fmt else ''}: not a text page, HTML, JSONL or WARC document",
            stage="read",
        )
    elif kind == "warc":
        yield from iter_warc(origin, reader, max_bytes)
    elif kind == "jsonl" and is_json_document(head):
        yield from iter_json_document(origin, reader, max_bytes)
    elif kind == "jsonl":
        yield from iter_jsonl(origin, reader, max_bytes)
    else:
        yield from _single(origin, reader, kind, max_bytes, size)


def _single(
    origin: str, reader: BinaryIO, kind: str, max_bytes: int, size: int | None
) -> Iterator[Item]:
    if size is not None and size > max_bytes:
        yield Reject(origin, too_big(size, max_bytes), stage="read")
        return
    try:
        data = reader.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        yield Reject(origin, f"corrupt or truncated data: {exc}", stage="read")  # e.g. a damaged .html.gz
        return
    if len(data) > max_bytes:
        yield Reject(origin, too_big(None, max_bytes), stage="read")
        return
    yield RawDoc(origin=origin, kind=kind, data=data)
