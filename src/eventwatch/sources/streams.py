"""Byte streams for sources: position-counting adapters and damage-tolerant gzip.

``Counting`` gives any readable object (a pipe, stdin, a decompressor) a ``tell()``,
which fastwarc needs to record offsets. ``SafeGzip`` decompresses single- and
multi-member gzip (``.warc.gz`` is one member per record) in constant memory and
hands out every byte decoded before a truncation or corruption; the error is
raised only on the read after those bytes, so readers keep what came before it.
"""

from __future__ import annotations

import io
import zlib
from typing import BinaryIO

CHUNK = 1 << 16
MAX_EXPAND = 1 << 20  # decompressed bytes per step, whatever the ratio (zip bombs)


def human_size(n: int) -> str:
    """``5242880`` → ``5.0 MB``, ``2048`` → ``2 KB``."""
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):.0f} KB"
    return f"{n} bytes"


def too_big(size: int | None, max_bytes: int, what: str = "document") -> str:
    got = human_size(size) if size is not None else "larger than that"
    return f"{what} is {got}, over the {human_size(max_bytes)} limit (raise it with --max-size)"


class DamagedStream(OSError):
    """Compressed input that is truncated or corrupt."""


class Counting(io.RawIOBase):
    """A raw stream over any file-like object, counting the bytes read."""

    def __init__(self, stream: BinaryIO):
        self._s = stream
        self._pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        # readinto1 does at most one read below: bytes decoded before damage come back
        # before the error instead of being lost inside a buffer-filling loop.
        reader = getattr(self._s, "readinto1", None) or getattr(self._s, "readinto", None)
        if reader is not None:
            n = reader(b) or 0
        else:
            data = self._s.read(len(b))
            n = len(data)
            b[:n] = data
        self._pos += n
        return n

    def tell(self) -> int:
        return self._pos


class SafeGzip(io.RawIOBase):
    """Gzip decompression that returns the good bytes before damage, then raises."""

    def __init__(self, stream: BinaryIO):
        self._s = stream
        self._d = zlib.decompressobj(wbits=31)
        self._in = b""
        self._out = bytearray()
        self._fed = False  # the current member has had input
        self._done = False
        self._error: DamagedStream | None = None
        self._raised = False
        self._pos = 0

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    @property
    def error(self) -> DamagedStream | None:
        return self._error

    def head(self, n: int) -> bytes:
        """Up to ``n`` bytes from the start, decoded without raising (damage is kept for later)."""
        self._fill(n)
        return bytes(self._out[:n])

    def readinto(self, b) -> int:
        self._fill(len(b))
        if not self._out:
            if self._error is not None and not self._raised:
                self._raised = True
                raise self._error
            return 0
        n = min(len(b), len(self._out))
        b[:n] = self._out[:n]
        del self._out[:n]
        self._pos += n
        return n

    def _fill(self, want: int) -> None:
        while len(self._out) < want and not self._done:
            if not self._in:
                self._in = self._s.read(CHUNK)
                if not self._in:
                    if self._fed and not self._d.eof:
                        self._fail("compressed data ends before the end-of-stream marker (truncated)")
                    self._done = True
                    return
            if self._d.eof:  # the previous member is complete: the next one starts here
                self._d = zlib.decompressobj(wbits=31)
                self._fed = False
                if not self._in.strip(b"\x00"):  # zero padding after the last member
                    self._in = b""
                    continue
            try:
                data = self._d.decompress(self._in, MAX_EXPAND)
            except zlib.error as exc:
                self._fail(f"corrupt compressed data ({exc})")
                return
            self._fed = True
            self._out += data
            self._in = self._d.unused_data if self._d.eof else self._d.unconsumed_tail

    def _fail(self, reason: str) -> None:
        self._error = DamagedStream(reason)
        self._done = True
