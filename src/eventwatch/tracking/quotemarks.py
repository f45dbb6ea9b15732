"""Quotation marks and the knowledge quote attribution uses.

:func:`quote_spans` pairs quotation marks (curly, guillemets, straight) into quoted spans,
also over paragraphs; :func:`reporting_verbs` and :func:`person_nouns` read the package data
(``tracking/data/reporting_verbs.tsv``, ``person_nouns.txt``); :class:`Quote` is the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from eventwatch.model import Actor

OPEN_MARKS = "“„«"
CLOSE_MARKS = "”»"
STRAIGHT = '"'
MARKS = OPEN_MARKS + CLOSE_MARKS + STRAIGHT
TERMINAL = {".", "!", "?"}
_PARA = re.compile(r"\n[ \t]*\n\s*")
PRONOUN_SPEAKERS = {"he": "person", "she": "person", "it": "org", "they": "org"}
RELATIVE = {"who", "which", "that"}
COMPLEMENTIZERS = {"that", "whether", "if"}


@lru_cache(maxsize=1)
def reporting_verbs() -> dict[str, str]:
    """lemma → ``both`` | ``direct`` | ``indirect`` (what the verb can frame)."""
    out = {}
    text = resources.files("eventwatch.tracking").joinpath("data/reporting_verbs.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            lemma, cue = (line.split("\t") + ["both"])[:2]
            out[lemma.strip()] = cue.strip() or "both"
    return out


@lru_cache(maxsize=1)
def person_nouns() -> frozenset[str]:
    text = resources.files("eventwatch.tracking").joinpath("data/person_nouns.txt").read_text("utf-8")
    return frozenset(x.strip() for x in text.splitlines() if x.strip() and not x.startswith("#"))


ADDRESSEE_VERBS = {"tell", "ask", "inform", "assure", "remind", "warn", "brief"}


def _cue(t, kind: str) -> bool:
    """A reporting verb that can frame this kind of quote. A verb with a nominal object is
    not framing speech ("repeated its call", "confirmed the report") unless the object is
    the addressee ("told reporters")."""
    use = reporting_verbs().get(t.lemma_.lower())
    if use is None or t.pos_ not in ("VERB", "AUX") or (use != "both" and use != kind):
        return False
    if t.lemma_.lower() not in ADDRESSEE_VERBS and any(
        c.dep_ in ("dobj", "obj") and c.pos_ in ("NOUN", "PROPN") for c in t.children
    ):
        return False
    return True


@dataclass(slots=True)
class Quote:
    """One quote; ``start``/``end`` delimit the quoted words in the article body."""

    start: int
    end: int
    text: str
    kind: str  # direct | partial | indirect
    speaker: Actor | None = None
    cue: str | None = None  # the reporting verb as written ("told", "added")
    cue_start: int | None = None
    cue_end: int | None = None
    sentence_index: int = 0
    paragraphs: int = 1
    closed: bool = True
    confidence: float = 0.0
    reason: str = ""

    def record(self) -> dict:
        sp = self.speaker
        return {
            "start": self.start, "end": self.end, "text": self.text, "kind": self.kind,
            "speaker": None if sp is None else {
                "text": sp.text, "code": sp.code, "country": sp.country, "sector": sp.sector, "name": sp.name,
                "start": sp.start, "end": sp.end, "confidence": sp.confidence, "reason": sp.reason},
            "cue": None if self.cue is None else {"text": self.cue, "start": self.cue_start, "end": self.cue_end},
            "sentence_index": self.sentence_index, "paragraphs": self.paragraphs, "closed": self.closed,
            "confidence": self.confidence, "reason": self.reason,
        }


def quote_spans(text: str) -> list[tuple[int, int, int, int | None, int]]:
    """Quotation-mark spans: ``(content start, content end, open mark, close mark or None, paragraphs)``.

    Curly and guillemet marks pair by direction; straight marks open after a space or
    punctuation and close otherwise. A quote left open at the end of a paragraph continues
    when the next paragraph opens with a quotation mark; otherwise it ends there.
    """
    paras = []
    pos = 0
    for m in _PARA.finditer(text):
        paras.append((pos, m.start()))
        pos = m.end()
    paras.append((pos, len(text)))
    out = []
    open_at: int | None = None
    n_paras = 1
    for pi, (p0, p1) in enumerate(paras):
        i = p0
        if open_at is not None:  # continued from the previous paragraph
            if p0 < p1 and text[p0] in OPEN_MARKS + STRAIGHT:
                i = p0 + 1
                n_paras += 1
            else:
                out.append(_span(text, open_at, None, paras[pi - 1][1], n_paras))
                open_at, n_paras = None, 1
        while i < p1:
            ch = text[i]
            if ch in OPEN_MARKS and open_at is None:
                open_at = i
            elif ch in CLOSE_MARKS and open_at is not None:
                out.append(_span(text, open_at, i, i, n_paras))
                open_at, n_paras = None, 1
            elif ch == STRAIGHT:
                if open_at is None:
                    prev = text[i - 1] if i > p0 else " "
                    nxt = text[i + 1] if i + 1 < p1 else " "
                    if (prev.isspace() or prev in "([{—–-/:;,") and not nxt.isspace():
                        open_at = i
                else:
                    out.append(_span(text, open_at, i, i, n_paras))
                    open_at, n_paras = None, 1
            i += 1
        if open_at is not None and pi == len(paras) - 1:
            out.append(_span(text, open_at, None, p1, n_paras))
    return [s for s in out if s[1] > s[0]]


def _span(text: str, open_at: int, close_at: int | None, end: int, paras: int):
    s, e = open_at + 1, end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e, open_at, close_at, paras)
