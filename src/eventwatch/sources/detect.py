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
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


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
    if stripped.startswith(b"{"):
        return "jsonl"
    if _HTML_MARKERS.search(head[:8192]) or len(_TAG.findall(head[:8192])) >= 3:
        return "html"
    return "textpage"


def is_binary(head: bytes) -> bool:
    """True when the bytes hold NULs or many control characters (not text)."""
    sample = head[:8192]
    if b"\x00" in sample:
        return True
    return len(_CONTROL.findall(sample)) > max(8, len(sample) // 100)
