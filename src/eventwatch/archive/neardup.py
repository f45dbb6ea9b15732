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

from eventwatch.extract.text import hash_key

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SEED = 20160926
SHINGLE_WORDS = 5
MIN_SHINGLES = 30
JACCARD = 0.5
CONTAINMENT = 0.8


def shingles(text: str) -> set[str]:
    words = re.findall(r"\w+", hash_key(text))
    n = SHINGLE_WORDS
    return {" ".join(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


def signature(text: str) -> bytes | None:
    """The MinHash signature as bytes, or None when the text is too short to compare."""
    sh = shingles(text)
    if len(sh) < MIN_SHINGLES:
        return None
    from rensa import RMinHash

    m = RMinHash(num_perm=NUM_PERM, seed=SEED)
    m.update(sorted(sh))
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
    return sum(1 for i, j in zip(x, y) if i == j) / len(x)


def similar(text_a: str, text_b: str) -> bool:
    a, b = shingles(text_a), shingles(text_b)
    if not a or not b:
        return False
    inter = len(a & b)
    return inter / len(a | b) >= JACCARD or inter / min(len(a), len(b)) >= CONTAINMENT
