"""Near-duplicate articles (reprinted wire stories) with MinHash-LSH.

Signatures come from ``rensa`` (128 permutations over 5-word shingles). They are
split into 32 bands of 4 rows; each band hashes to a key stored in SQLite, so
candidates are found with an index lookup however large the archive grows. Every
candidate is then verified on the actual shingles: Jaccard ≥ 0.5, or one text
containing ≥ 80 % of the other's shingles (a trimmed reprint).
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections import OrderedDict
from operator import eq

from eventwatch.extract.text import hash_key

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SEED = 20160926
SHINGLE_WORDS = 5
MIN_SHINGLES = 30
JACCARD = 0.5
CONTAINMENT = 0.8
ESTIMATE_FLOOR = 0.3  # candidates whose estimated Jaccard is lower are not verified


_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[str]:
    """The set of ``SHINGLE_WORDS``-word shingles of the text's identity form."""
    words = _WORD.findall(hash_key(text))
    return set(map(" ".join, zip(*(words[i:] for i in range(SHINGLE_WORDS)))))


def signature(text: str | set[str]) -> bytes | None:
    """The MinHash signature (of a text or its shingles) as bytes; None when too short to compare."""
    sh = shingles(text) if isinstance(text, str) else text
    if len(sh) < MIN_SHINGLES:
        return None
    from rensa import RMinHash

    m = RMinHash(num_perm=NUM_PERM, seed=SEED)
    m.update(list(sh))  # MinHash is order-independent
    return array("I", m.digest()).tobytes()


def band_keys(sig: bytes) -> list[int]:
    """One signed 64-bit key per band (the band number is part of the key)."""
    keys = []
    step = ROWS * 4
    for b in range(BANDS):
        digest = hashlib.blake2b(bytes([b]) + sig[b * step : (b + 1) * step], digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def estimate(a: bytes, b: bytes) -> float:
    """Jaccard similarity estimated from two signatures."""
    x, y = array("I", a), array("I", b)
    return sum(map(eq, x, y)) / len(x)


def similar(text_a: str | set[str], text_b: str | set[str]) -> bool:
    """Exact check on the shingles (texts or shingle sets): Jaccard or containment."""
    a = shingles(text_a) if isinstance(text_a, str) else text_a
    b = shingles(text_b) if isinstance(text_b, str) else text_b
    if not a or not b:
        return False
    inter = len(a & b)
    return inter / len(a | b) >= JACCARD or inter / min(len(a), len(b)) >= CONTAINMENT


class RecentShingles:
    """Shingle sets of the articles stored last, so verifying a reprint against a story
    stored moments before does not re-read and re-shingle its body."""

    def __init__(self, size: int = 512):
        self.size = size
        self._d: OrderedDict[str, frozenset[str]] = OrderedDict()

    def get(self, article_id: str) -> frozenset[str] | None:
        sh = self._d.get(article_id)
        if sh is not None:
            self._d.move_to_end(article_id)
        return sh

    def put(self, article_id: str, sh: frozenset[str]) -> None:
        self._d[article_id] = sh
        self._d.move_to_end(article_id)
        while len(self._d) > self.size:
            self._d.popitem(last=False)
