"""Resumable input streams: every item tagged with its input file and position.

``InputStream`` walks files, directories and globs like ``sources.iter_inputs`` and
yields ``Tagged`` items: the raw document (or reject, or skip), the file it came
from and its index in that file, plus an end-of-input marker after each file. A
checkpoint (``store.runs.InputProgress`` per file) makes it skip what an interrupted
run already committed: finished files are not opened, a partly read file skips its
first ``records`` items without extracting them. Files that changed since (size or
mtime) are read from the start. Memory stays bounded: one record at a time.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from eventwatch.model import RawDoc, Reject, Skip
from eventwatch.sources import DEFAULT_MAX_BYTES, expand_paths, iter_stream
from eventwatch.store.runs import InputProgress


@dataclass(slots=True)
class Tagged:
    input: str | None  # the file read (None: stdin, or a path-level reject)
    seq: int  # index of the item within its input, in read order
    item: RawDoc | Reject | Skip | None  # None marks the end of the input


class InputStream:
    """Iterate tagged items; ``bytes_read``/``total_bytes`` drive progress and ETA."""

    def __init__(self, paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES,
                 progress: dict[str, InputProgress] | None = None, stdin: BinaryIO | None = None):
        self.entries = list(expand_paths(paths))
        self.max_bytes = max_bytes
        self.progress = progress or {}
        self.stdin = stdin
        self.files: dict[str, tuple[int, int]] = {}  # input -> (size, mtime_ns) as read
        self.total_bytes = 0
        for p in self.entries:
            if isinstance(p, str) and p != "-":
                try:
                    self.total_bytes += os.path.getsize(p)
                except OSError:
                    pass
        self.bytes_read = 0
        self.files_skipped = 0  # finished before (resume)
        self.records_skipped = 0  # committed items of partly read files (resume)
        self._base = 0

    def __iter__(self) -> Iterator[Tagged]:
        for p in self.entries:
            if isinstance(p, (Reject, Skip)):
                yield Tagged(None, 0, p)
            elif p == "-":
                stream = self.stdin if self.stdin is not None else sys.stdin.buffer
                for i, item in enumerate(iter_stream("<stdin>", stream, self.max_bytes)):
                    yield Tagged(None, i, item)
            else:
                yield from self._file(p)

    def _file(self, path: str) -> Iterator[Tagged]:
        try:
            st = os.stat(path)
            fh = open(path, "rb")
        except OSError as exc:
            yield Tagged(None, 0, Reject(path, f"cannot read: {exc.strerror or exc}", stage="read"))
            return
        self.files[path] = (st.st_size, st.st_mtime_ns)
        prev = self.progress.get(path)
        skip = 0
        if prev is not None and (prev.size, prev.mtime_ns) == (st.st_size, st.st_mtime_ns):
            if prev.done:
                fh.close()
                self.files_skipped += 1
                self._base += st.st_size
                self.bytes_read = self._base
                return
            skip = prev.records
        with fh:
            n = 0
            for item in iter_stream(path, fh, self.max_bytes, size=st.st_size):
                self.bytes_read = self._base + _tell(fh, st.st_size)
                if n >= skip:
                    yield Tagged(path, n, item)
                else:
                    self.records_skipped += 1
                n += 1
        self._base += st.st_size
        self.bytes_read = self._base
        yield Tagged(path, n, None)


def _tell(fh, size: int) -> int:
    try:
        return min(fh.tell(), size)
    except (OSError, ValueError):
        return 0


class Checkpointer:
    """Per-input progress of the items committed so far (feed it every committed ``Tagged``)."""

    def __init__(self, stream: InputStream):
        self.stream = stream
        self.pending: dict[str, InputProgress] = {}

    def committed(self, input_: str | None, seq: int, end: bool) -> None:
        if input_ is None:
            return
        size, mtime = self.stream.files.get(input_, (None, None))
        self.pending[input_] = InputProgress(size, mtime, seq if end else seq + 1, end)

    def take(self) -> dict[str, InputProgress]:
        out, self.pending = self.pending, {}
        return out
