"""Toponym recognition over a spaCy Doc.

spaCy's GPE/LOC/FAC entities, plus gazetteer matching of proper-noun spans the
small model misses or mislabels ("Aleppo" tagged PERSON). Demonyms ("Syrian")
are not places. Gazetteer-only matches must be proper nouns (POS ``PROPN``), not
in the common-word list, and either a well-known place (country, first-level
division, city of 100k+) or introduced by a locative preposition ("in Kafr
Hamra").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from eventwatch.places.gazetteer import LEVEL_ADM1, LEVEL_CITY, LEVEL_COUNTRY, LEVEL_FEATURE, Gazetteer, get_gazetteer
from eventwatch.places.normalize import norm

PLACE_LABELS = {"GPE", "LOC", "FAC"}
MAYBE_LABELS = {"PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT"}
MAX_SPAN = 4
_TITLES = {"mr", "mrs", "ms", "dr", "president", "minister", "general", "gen", "sen", "rep", "gov", "judge", "king", "queen", "prince", "sheikh", "pope", "sir", "lord", "saint"}
_FAC_HEADS = {"street", "st", "road", "rd", "avenue", "ave", "boulevard", "blvd", "highway", "bridge", "airport", "square", "park", "river", "lake", "mountain", "mountains", "island", "islands", "border", "crossing", "base", "port", "harbor", "harbour", "canal", "dam", "valley", "bay", "strait", "sea", "desert", "plain"}


@dataclass(slots=True)
class Mention:
    """A toponym in the text: character offsets into ``doc.text``."""

    text: str
    start: int
    end: int
    label: str = "GPE"  # spaCy label, or "GAZ" for a gazetteer-only match
    source: str = "ner"  # ner | gazetteer | gold


def _lines(name: str) -> frozenset[str]:
    text = (resources.files("eventwatch.places") / "data" / name).read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=None)
def common_words() -> frozenset[str]:
    return _lines("common_words.txt")


@lru_cache(maxsize=None)
def locative_preps() -> frozenset[str]:
    return _lines("locative_preps.txt")


def _trim(doc, start: int, end: int) -> tuple[int, int]:
    """Token span without a leading determiner and a trailing possessive."""
    while start < end and doc[start].lower_ in ("the", "a", "an"):
        start += 1
    while end > start and doc[end - 1].tag_ == "POS" or (end > start and doc[end - 1].text in ("'s", "’s")):
        end -= 1
    return start, end


def _strong(entries) -> bool:
    for e, kind in entries:
        if kind > 1:
            continue
        if e.level in (LEVEL_COUNTRY, LEVEL_ADM1, LEVEL_FEATURE) or (e.level == LEVEL_CITY and e.population >= 100_000):
            return True
    return False


def _known(entries, min_pop: int = 1000) -> bool:
    return any(kind == 0 and (e.level != LEVEL_CITY or e.population >= min_pop) for e, kind in entries)


def is_demonym(gaz: Gazetteer, text: str) -> bool:
    n = norm(text)
    return n in gaz.demonyms or (n.endswith("s") and n[:-1] in gaz.demonyms)


def recognize(doc, gaz: Gazetteer | None = None) -> list[Mention]:
    """Toponym mentions in ``doc`` (a parsed spaCy Doc), in text order."""
    gaz = gaz or get_gazetteer()
    out: list[Mention] = []
    taken = [False] * len(doc)
    common = common_words()

    def add(start: int, end: int, label: str, source: str) -> None:
        span = doc[start:end]
        out.append(Mention(span.text, span.start_char, span.end_char, label, source))
        for i in range(start, end):
            taken[i] = True

    for ent in doc.ents:
        start, end = _trim(doc, ent.start, ent.end)
        if start >= end:
            continue
        text = doc[start:end].text
        if ent.label_ in PLACE_LABELS:
            if is_demonym(gaz, text) and not gaz.has(text):
                continue
            if ent.label_ == "FAC" and not gaz.has(text) and doc[end - 1].lower_ not in _FAC_HEADS:
                continue
            add(start, end, ent.label_, "ner")
        elif ent.label_ in MAYBE_LABELS:
            for i in range(ent.start, ent.end):
                taken[i] = True
            if is_demonym(gaz, text):
                continue
            prev = doc[start - 1].lower_.rstrip(".") if start > 0 else ""
            if prev in _TITLES or norm(text) in common:
                continue
            entries = gaz.lookup(text)
            if entries and (_strong(entries) or (prev in locative_preps() and _known(entries))):
                add(start, end, "GAZ", "gazetteer")

    # proper-noun runs outside entities
    i = 0
    n = len(doc)
    while i < n:
        if taken[i] or doc[i].pos_ != "PROPN" or not doc[i].text[:1].isupper():
            i += 1
            continue
        j = i
        while j < n and j - i < MAX_SPAN and not taken[j] and (doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper() or doc[j].text == "-"):
            j += 1
        nxt = i + 1
        for end in range(j, i, -1):
            text = doc[i:end].text
            key = norm(text)
            if not key or key in common or doc[end - 1].text == "-":
                continue
            entries = gaz.lookup(key, normalised=True)
            if not entries:
                continue
            prev = doc[i - 1].lower_ if i > 0 else ""
            if prev.rstrip(".") in _TITLES:
                nxt = j
                break
            if _strong(entries) or (prev in locative_preps() and _known(entries)):
                if not is_demonym(gaz, text):
                    add(i, end, "GAZ", "gazetteer")
                    nxt = end
                break
        i = nxt
    out.sort(key=lambda m: m.start)
    return out
