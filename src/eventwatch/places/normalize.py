"""Name normalisation shared by the gazetteer index and lookups.

``norm("St. Louis")`` == ``norm("Saint Louis")`` == ``"saint louis"``;
accents are stripped (``Ḩalab`` → ``halab``), ``U.S.`` → ``us``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

try:  # a dependency of localis; NFKD stripping is the fallback
    from unidecode import unidecode as _translit
except ImportError:  # pragma: no cover
    _translit = None

_APOS = re.compile(r"[’'`ʻʼ‘\.]")
_NONWORD = re.compile(r"[^a-z0-9]+")
_ABBREV = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "mtn": "mountain", "pt": "point"}


def ascii_fold(text: str) -> str:
    if _translit is not None:
        return _translit(text)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def is_latin(text: str) -> bool:
    """True when every letter is in a Latin script (names in other scripts are useless for English text)."""
    for ch in text:
        if ch.isalpha() and ord(ch) > 0x24F and not (0x1E00 <= ord(ch) <= 0x1EFF):
            return False
    return True


@lru_cache(maxsize=200_000)
def norm(text: str) -> str:
    s = ascii_fold(text).lower().replace("&", " and ")
    s = _APOS.sub("", s)
    s = _NONWORD.sub(" ", s).strip()
    if not s:
        return ""
    words = [_ABBREV.get(w, w) for w in s.split()]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)
