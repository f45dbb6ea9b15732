"""Article geoparsing, metonymy and event locations over a parsed spaCy Doc."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import lru_cache

from eventwatch.model import Place
from eventwatch.nlp import tree
from eventwatch.places.gazetteer import Gazetteer, get_gazetteer
from eventwatch.places.recognize import Mention, _lines, locative_preps, recognize
from eventwatch.places.resolve import candidates, precision_of, resolve_mentions

METONYM = "metonymy"
_METONYM_FEATURES = {"PCLI", "PPLC", "ADM1", "BLDG"}
_SUBJ = {"nsubj", "nsubjpass", "csubj"}
_OBJ = {"dobj", "obj", "attr", "npadvmod", "oprd"}
_WALK = {"pobj", "prep", "compound", "appos", "amod", "poss", "nmod", "conj", "cc", "det", "punct"}


@lru_cache(maxsize=None)
def metonymy_verbs() -> frozenset[str]:
    return _lines("metonymy_verbs.txt")


def is_metonym(place: Place) -> bool:
    """True for a place used as an actor ("Moscow said"): never an event location."""
    return place.reason.startswith(METONYM)


def _root(doc, start: int, end: int):
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _metonymic(tok) -> str | None:
    """'Moscow said', 'Washington and Moscow agreed', 'Moscow has accused': the reporting/acting subject."""
    t = tok
    if t.dep_ == "conj" and t.head.dep_ in _SUBJ:
        t = t.head
    if t.dep_ in _SUBJ and t.head.pos_ in ("VERB", "AUX") and t.head.lemma_.lower() in metonymy_verbs():
        return t.head.lemma_.lower()
    if t.dep_ == "poss" and t.head.lemma_.lower() in {"decision", "position", "statement", "response", "demand", "call", "refusal", "offer", "proposal", "accusation", "warning"}:
        return t.head.lemma_.lower()
    return None


def geoparse(
    doc,
    dateline: str | None = None,
    hint_countries: Sequence[str] = (),
    gaz: Gazetteer | None = None,
    url: str | None = None,
    ranker=None,
) -> list[Place]:
    """Recognise and resolve the toponyms of an article; metonymic capitals/countries are flagged
    (``reason`` starts with ``"metonymy"``: "Moscow said" names the Russian government, an actor).
    ``url`` (the article's address) and ``ranker`` as in ``resolve_mentions``."""
    gaz = gaz or get_gazetteer()
    mentions = recognize(doc, gaz)
    places = resolve_mentions(tree.text_of(doc), mentions, dateline=dateline, hint_countries=hint_countries, gaz=gaz,
                              url=url, ranker=ranker)
    for m, p in zip(mentions, places):
        tok = _root(doc, m.start, m.end)
        verb = _metonymic(tok) if tok is not None else None
        if verb and p.feature in _METONYM_FEATURES:
            p.reason = f"{METONYM}: subject of '{verb}' — the government acting (actor, not a location); {p.reason}"
        elif m.source == "gazetteer":
            p.reason += "; found by gazetteer matching (not a spaCy place entity)"
            p.confidence = round(p.confidence * 0.9, 3)
    return places


def resolve_dateline(dateline: str | None, places: Sequence[Place] = (), gaz: Gazetteer | None = None) -> Place | None:
    """The dateline's place ("BEIRUT" → Beirut), preferring a reading in the article's countries."""
    if not dateline:
        return None
    gaz = gaz or get_gazetteer()
    cands = candidates(gaz, dateline)
    if not cands:
        return None
    countries = {p.country for p in places if p.country}
    best = max(cands, key=lambda c: c.prior + (2.0 if gaz.iso3.get(c.entry.country or "") in countries else 0.0))
    e = best.entry
    return Place(text=dateline, start=-1, end=-1, name=e.name, geonameid=e.geonameid, country=gaz.iso3.get(e.country or ""),
                 admin1=e.admin1, lat=e.lat, lon=e.lon, feature=e.feature, precision=precision_of(e),
                 confidence=0.8, reason="dateline")


def _tied(tok, trigger) -> str | None:
    """How a place token is tied to the trigger in the parse, if it is."""
    if tok.head == trigger and tok.dep_ in _OBJ:
        return "object of the trigger"
    t, steps, preps = tok, 0, []
    while t.head != t and steps < 6:
        if t.dep_ not in _WALK and t.dep_ not in _OBJ:
            return None
        if t.dep_ == "prep":
            preps.append(t.lower_)
        if t.head == trigger:
            if t.dep_ == "prep" and t.lower_ in locative_preps():
                return f"'{t.lower_} …' attached to the trigger"
            if t.dep_ in _OBJ:
                return "object of the trigger"
            return None
        if t.head.pos_ in ("VERB", "AUX") and t.head != trigger:
            return None
        t = t.head
        steps += 1
    return None


def event_location(doc, sentence_span, trigger_token, places: Sequence[Place], dateline_place: Place | None) -> Place | None:
    """The place where the trigger's action happened.

    1. a place tied to the trigger in the dependency parse ("shelled Homs", "outside Homs",
       "in Idlib province", "near the border with Turkey") — confidence kept;
    2. else another literal place in the sentence, nearest the trigger — confidence × 0.6;
    3. else the dateline — confidence × 0.4.
    Metonymic places ("Moscow said") are never event locations.
    """
    s0, s1 = sentence_span.start_char, sentence_span.end_char
    literal = [p for p in places if s0 <= p.start < s1 and p.lat is not None and not is_metonym(p)]
    tied = []
    for p in literal:
        tok = _root(doc, p.start, p.end)
        how = _tied(tok, trigger_token) if tok is not None else None
        if how:
            tied.append((p, how))
    if tied:
        p, how = max(tied, key=lambda x: (x[0].precision == "point", x[0].confidence))
        return dataclasses.replace(p, confidence=round(p.confidence * 0.95, 3), reason=f"event location: {how}; {p.reason}")
    if literal:
        t = trigger_token.idx
        p = min(literal, key=lambda q: abs(q.start - t))
        return dataclasses.replace(p, confidence=round(p.confidence * 0.6, 3), reason=f"event location: place in the same sentence; {p.reason}")
    if dateline_place is not None:
        p = dateline_place
        return dataclasses.replace(p, confidence=round(p.confidence * 0.4, 3), reason=f"event location: dateline; {p.reason}")
    return None


__all__ = ["Mention", "event_location", "geoparse", "is_metonym", "resolve_dateline"]
