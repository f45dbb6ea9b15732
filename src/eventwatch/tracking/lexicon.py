"""The tracking knowledge, read from package data (``tracking/data/``), never hard-coded:
agreement nouns and their types, phrases that are not agreements, lifecycle cues, words of
breach and of accusation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

STATES = ("proposed", "negotiated", "signed", "declared", "in_force", "breach_alleged", "collapsed",
          "revival_talks", "renewed")
TYPE_RANK = {"ceasefire": 3, "agreement": 2, "talks": 1}


def _lines(name: str) -> list[list[str]]:
    text = resources.files("eventwatch.tracking").joinpath("data", name).read_text("utf-8")
    return [ln.rstrip("\n").split("\t") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@dataclass(frozen=True, slots=True)
class Cue:
    state: str
    types: frozenset[str] | None  # None: every type
    negated: str | None  # the state when the cue is negated

    def applies(self, mention_type: str) -> bool:
        return self.types is None or mention_type in self.types


@lru_cache(maxsize=1)
def terms() -> tuple[tuple[str, str], ...]:
    """``(term, type)``, longest terms first."""
    rows = [(r[0].strip().lower(), r[1].strip()) for r in _lines("agreement_terms.tsv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@lru_cache(maxsize=1)
def term_regex() -> re.Pattern:
    alts = []
    for term, _type in terms():
        words = [re.escape(w) for w in re.split(r"[\s]+", term)]
        body = r"[\s-]+".join(words) if len(words) > 1 else words[0]
        body = body.replace(r"\-", r"[\s-]?")
        alts.append(body + (r"(?:e?s)?" if not term.endswith("s") else ""))
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.IGNORECASE)


def term_type(text: str) -> tuple[str, str] | None:
    """The term and type of a matched string ("Cease-fires" → ("cease-fire", "ceasefire"))."""
    norm = re.sub(r"[\s-]+", " ", text.lower()).strip()
    for term, typ in terms():
        t = re.sub(r"[\s-]+", " ", term)
        if norm == t or norm in (t + "s", t + "es"):
            return term, typ
    return None


@lru_cache(maxsize=1)
def excludes() -> tuple[re.Pattern, ...]:
    text = resources.files("eventwatch.tracking").joinpath("data", "agreement_excludes.txt").read_text("utf-8")
    return tuple(re.compile(ln.strip(), re.IGNORECASE) for ln in text.splitlines()
                 if ln.strip() and not ln.startswith("#"))


@lru_cache(maxsize=1)
def lifecycle() -> dict[tuple[str, str], tuple[Cue, ...]]:
    """``(relation, lemma)`` → cues."""
    out: dict[tuple[str, str], list[Cue]] = {}
    for r in _lines("lifecycle.tsv"):
        rel, lemma, state, types, neg = (r + ["*", "-"])[:5]
        cue = Cue(state.strip(), None if types.strip() == "*" else frozenset(types.strip().split(",")),
                  None if neg.strip() in ("-", "") else neg.strip())
        out.setdefault((rel.strip(), lemma.strip().lower()), []).append(cue)
    return {k: tuple(v) for k, v in out.items()}


def _pairs(name: str) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for r in _lines(name):
        out.setdefault(r[0].strip(), set()).add(r[1].strip().lower())
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def breach_words() -> dict[str, frozenset[str]]:
    return _pairs("breach_words.txt")


@lru_cache(maxsize=1)
def accuse_words() -> dict[str, frozenset[str]]:
    return _pairs("accuse_words.txt")
