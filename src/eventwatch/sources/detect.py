"""Tell what an input is from its first bytes, not from its file name."""

from __future__ import annotations

import re

GZIP_MAGIC = b"\x1f\x8b"
BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

_HTML_MARKERS = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title[\s>]", re.I
)
_TAG = re.compile(rb"</?(?:p|div|span|a|br|h[1-6]|article|section|li|ul|table|img)\b[^>]*>", re.I)
# Bytes that never occur in text: C0 controls other than tab, newline, form feed, CR.
_CONTROL = re.compile(rb"[\x01-\x08\x0b\x0e-\x1a\x1c-\x1f]")


def sniff(head: bytes) -> str:
    """Return the kind of a document from its first bytes.

    One of ``empty``, ``gzip``, ``warc``, ``jsonl``, ``html``, ``binary`` or ``textpage``.
    """
    if not head.strip():
        return "empty"
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(BOMS[1]) or head.startswith(BOMS[2]):
        # UTF-16 text: decoded later; decide on the decoded start.
        try:
            return sniff(head.decode("utf-16", errors="ignore").encode("utf-8"))
        except UnicodeError:
            return "binary"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"WARC/"):
        return "warc"
    if is_binary(head):
        return "binary"
    if stripped.startswith(b"{") or re.match(rb"\[\s*(\{|\])", stripped):
        return "jsonl"  # JSON Lines, or one JSON document (told apart by the reader)
    if _HTML_MARKERS.search(head[:8192]) or len(_TAG.findall(head[:8192])) >= 3:
        return "html"
    return "textpage"


# Magic numbers of common non-text formats that can otherwise start with printable bytes.
_MAGIC = (
    (b"%PDF-", "PDF"), (b"PK\x03\x04", "ZIP/Office"), (b"\x89PNG", "PNG"), (b"GIF8", "GIF"),
    (b"\xff\xd8\xff", "JPEG"), (b"\x7fELF", "ELF executable"), (b"SQLite format 3\x00", "SQLite"),
    (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"), (b"7z\xbc\xaf", "7-Zip"), (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"RIFF", "RIFF media"), (b"OggS", "Ogg media"), (b"ID3", "MP3"), (b"%!PS", "PostScript"),
)


def binary_format(head: bytes) -> str | None:
    """The name of a known binary format the bytes start with, if any."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    return None


def is_binary(head: bytes) -> bool:
    """True for known binary formats, or bytes with many NULs or control characters.

    A stray NUL or two (a damaged HTML page) does not make a document binary.
    """
    if binary_format(head):
        return True
    sample = head[:8192]
    return sample.count(b"\x00") + len(_CONTROL.findall(sample)) > max(8, len(sample) // 100)
