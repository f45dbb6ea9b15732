"""Text normalisation shared by the knowledge base index and the phrase resolver.

An alias and a phrase are compared as sequences of *tokens*. Each token has two
forms: ``orig`` (the surface form with acronym dots, possessives and
punctuation removed, case kept) and ``norm`` (``orig`` accent-folded and
lower-cased). The index is keyed on ``norm``; ``orig`` is kept for the case
checks on short acronyms (US/us, UN/un, IS/is) and proper names (Male/male).

Normalisation, in order:

- Unicode NFKC; curly quotes to ``'``/``"``; the dash family to ``-``;
- dotted acronyms lose their dots: ``U.S.`` -> ``US``, ``U.N.`` -> ``UN``;
- ``&`` becomes ``and``;
- tokens are runs of letters/digits (an inner apostrophe is kept: ``d'Orsay``);
  hyphens and slashes split tokens (``al-Qaeda`` = ``al Qaeda``);
- a trailing possessive ``'s``/``'`` is dropped (``Russia's`` -> ``Russia``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "&": " and ",
})
_ACRONYM = re.compile(r"(?<![^\W\d_])((?:[^\W\d_]\.){2,})(?![^\W\d_])")
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*'?")

# Words that open a prepositional or relative modifier inside a noun phrase:
# "rebels in Darfur", "president of Armenia", "militants loyal to ...".
PREPOSITIONS = frozenset(
    "of in from at for on near throughout based loyal to with within across outside inside "
    "operating living fleeing ordered around along over under by".split()
)
DETERMINERS = frozenset("the a an this that these those some several many".split())
# Prefixes that negate or invert the country reading of the next token: "pro-Iranian",
# "anti-Syria", "non-Arab".
NEGATING_PREFIXES = frozenset("pro anti non".split())


def fold(text: str) -> str:
    """Accent-fold and lower-case one string (``Élysée`` -> ``elysee``)."""
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return text.lower()


def clean(text: str) -> str:
    """Unicode and punctuation clean-up before tokenising."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = text.translate(_TRANSLATE)
    if "." in text:
        text = _ACRONYM.sub(lambda m: m.group(1).replace(".", ""), text)
    return text


def _strip_possessive(tok: str) -> str:
    if tok.endswith("'"):
        tok = tok[:-1]
    if len(tok) > 2 and (tok.endswith("'s") or tok.endswith("'S")):
        tok = tok[:-2]
    return tok


@lru_cache(maxsize=100_000)
def tokens(text: str) -> tuple[list[str], list[str]]:
    """Split ``text`` into parallel ``(orig, norm)`` token lists (cached: do not mutate them)."""
    return _tokens(text)


def _tokens(text: str) -> tuple[list[str], list[str]]:
    c = clean(text)
    orig = _TOKEN.findall(c)
    if "'" in c:
        orig = [t for t in map(_strip_possessive, orig) if t]
    if c.isascii():
        return orig, [t.lower() for t in orig]
    return orig, [fold(t) for t in orig]


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """The index key of an alias or phrase: normalised tokens joined by spaces."""
    return " ".join(tokens(text)[1])


def token_pieces(token: str) -> list[str]:
    """The normalised pieces of one caller token (``al-Qaeda`` -> ``[al, qaeda]``; ``,`` -> ``[]``)."""
    return [t for t in tokens(token)[0]]


def is_acronym(alias_orig: list[str]) -> bool:
    """Short all-capital single-token aliases must match case exactly: US, UN, IS, EU, WHO."""
    if len(alias_orig) != 1:
        return False
    t = alias_orig[0]
    return len(t) <= 3 and t.isupper() and t.isalpha()


def has_upper(text: str) -> bool:
    return text != text.lower()


def plural(phrase: str) -> str:
    """Regular English plural of the last word of ``phrase`` (agent nouns)."""
    head, _, last = phrase.rpartition(" ")
    low = last.lower()
    if low.endswith("man"):
        last = last[:-3] + "men"
    elif low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        last = last[:-1] + "ies"
    elif low.endswith(("s", "x", "z", "ch", "sh")):
        last = last + "es"
    else:
        last = last + "s"
    return f"{head} {last}" if head else last


COUNTING = {"thousands", "hundreds", "dozens", "scores", "several", "many", "young", "some", "two", "three", "four",
            "five", "six", "seven", "eight", "nine", "ten", "twenty", "fifty", "hundred", "thousand"}


def counted(norm: Sequence[str], i: int) -> bool:
    """Whether the words before position ``i`` count people ("168", "thousands of", "young")."""
    k = i - 1
    if k >= 0 and norm[k] == "of":
        k -= 1
    return k >= 0 and (norm[k].replace(",", "").isdigit() or norm[k] in COUNTING)
