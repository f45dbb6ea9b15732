"""Actor resolution in the context of one article: noun phrases in a parse → ``Actor``.

The knowledge base resolves phrase strings (``resolve_phrase``); this module finds the
phrase for a token, expands coordinations ("the US and Russia"), reads appositions
("Dmitry Peskov, the Kremlin spokesman"), and carries actors across the article:
surnames ("Peskov" after "Kremlin spokesman Dmitry Peskov"), pronouns (he, it, they,
their), and bare titles ("the minister"). The article's date picks time-bounded roles;
its dateline and most-mentioned countries are weak priors only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Token

from eventwatch.model import Actor
from eventwatch.nlp import tree

# Plural nouns that never refer to actors: time spans, quantities, things.
NON_ACTOR_PLURALS = {"hour", "day", "week", "month", "year", "minute", "time", "percent", "dollar", "euro",
                     "ton", "tonne", "kilometre", "kilometer", "mile", "meter", "metre", "thing",
                     "way", "term", "condition", "issue", "matter", "talk", "negotiation", "sanction", "measure",
                     "weapon", "arm", "vehicle", "building", "home", "house", "fact", "question", "allegation",
                     "accusation", "claim", "report", "comment", "remark", "statement", "attack", "strike"}
SPATIAL_PREPS = {"in", "at", "near", "outside", "inside", "across", "throughout", "into", "around", "over", "of"}
PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers"}
THING_PRONOUNS = {"it", "its"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs"}
FIRST_PERSON = {"we", "us", "our", "i", "me", "my"}
GENERIC_HEADS = {"minister", "president", "spokesman", "spokeswoman", "spokesperson", "leader", "official",
                 "premier", "chancellor", "secretary", "envoy", "ambassador", "king", "emir", "general",
                 "commander", "chief", "ministry", "government", "regime", "country", "side"}


@dataclass
class _Memory:
    surnames: dict[str, Actor] = field(default_factory=dict)
    recent: list[tuple[int, Actor, str]] = field(default_factory=list)  # (sentence index, actor, kind)
    countries: Counter = field(default_factory=Counter)


class ArticleActors:
    """Resolve actor mentions of one article, remembering what was said before."""

    def __init__(self, date: str | None = None, dateline: str | None = None, kb=None):
        from eventwatch.actors import resolve_phrase

        self._resolve_phrase = resolve_phrase
        self.date = date[:10] if date else None
        self.mem = _Memory()
        self.sentence_index = 0
        self._cache: dict[tuple[str, tuple], object] = {}
        self.dateline_country = None
        self.locations: Counter = Counter()
        if dateline:
            res = self._phrase(dateline)
            if res is not None and res.country:
                self.dateline_country = res.country

    # --- priors --------------------------------------------------------------------
    def priors(self) -> tuple[str, ...]:
        """Weak country priors for bare agents ("government troops"): where the story
        happens (countries of place mentions) first, then the most-mentioned actors."""
        ranked = [c for c, _n in self.locations.most_common(2)]
        ranked += [c for c, _n in self.mem.countries.most_common(3) if c not in ranked]
        if self.dateline_country and self.dateline_country not in ranked:
            ranked.append(self.dateline_country)
        return tuple(ranked)

    def scan_locations(self, docs) -> None:
        """Count the countries of place mentions ("in Syria", "outside Aleppo") in the article."""
        for _base, doc in docs:
            for ent in doc.ents:
                if ent.label_ not in ("GPE", "LOC") or ent.root.dep_ != "pobj":
                    continue
                if ent.root.head.lower_ not in SPATIAL_PREPS:
                    continue
                res = self._phrase(ent.text)
                if res is not None and res.country and len(res.country) == 3 and not res.sector:
                    self.locations[res.country] += 1

    def _phrase(self, text: str):
        key = (text, self.priors())
        if key not in self._cache:
            try:
                self._cache[key] = self._resolve_phrase(text, date=self.date, priors=key[1])
            except TypeError:
                self._cache[key] = self._resolve_phrase(text, self.date)
        return self._cache[key]

    # --- public --------------------------------------------------------------------
    def start_sentence(self, index: int) -> None:
        self.sentence_index = index

    def resolve(self, head: Token) -> list[Actor]:
        """Actors for the phrase headed by ``head`` and the phrases coordinated with it.

        Coordinated national modifiers give one actor each: "Hungarian and Romanian
        officials" → Hungarian officials, Romanian officials.
        """
        out: list[Actor] = []
        for t in tree.conjuncts(head):
            for a in self._split_modifiers(t) or [self.resolve_one(t)]:
                if a is not None and all((a.code, a.text) != (b.code, b.text) for b in out):
                    out.append(a)
        return out

    def _split_modifiers(self, head: Token) -> list[Actor | None]:
        mods = [c for c in head.children if c.dep_ in ("amod", "compound", "nmod") and
                any(g.dep_ == "conj" for g in c.children)]
        if not mods or head.pos_ == "PROPN":
            return []
        mod = mods[0]
        variants = [mod] + [g for g in mod.conjuncts if g.dep_ == "conj" or g.head.i == mod.i]
        toks = tree.np_tokens(head)
        _start, end = tree.span_of(toks)
        start = min(min(v.idx for v in variants), _start)
        rest = [t for t in toks if t.i > max(v.i for v in variants)]
        out = []
        for v in variants:
            a = self._from_text(" ".join([v.text] + [t.text for t in rest]), start, end, head)
            if a is not None:
                a.text = tree.span_text(head.doc, start, end)
                a.reason = f"coordinated modifier '{v.text}': {a.reason}"
                self._remember(a, toks)
            out.append(a)
        return out

    def resolve_one(self, head: Token) -> Actor | None:
        inner = tree.partitive(head)
        if inner is not None:
            head = inner  # "tens of thousands of students" → students
        low = head.lower_
        if head.pos_ == "PRON" or low in PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS:
            return self._pronoun(head)
        toks = tree.np_tokens(head)
        start, end = tree.span_of(toks)
        text = tree.span_text(head.doc, start, end)
        actor = self._from_text(text, start, end, head)
        appos = tree.first(head, "appos")
        if appos is None and head.dep_ == "appos" and head.head.pos_ in ("NOUN", "PROPN"):
            appos = head.head  # "The UN envoy, Lars Ekström, said": the name's apposition is its head
        if appos is not None:
            other = self._from_text(*_text_span(appos), appos)
            if other is not None and (actor is None or (actor.sector is None and other.sector) or
                                      (actor.country is None and other.country)):
                actor = _merge(actor, other, text, start, end)
        if actor is not None:
            self._remember(actor, toks)
        elif head.ent_type_ == "PERSON" and head.pos_ == "PROPN":
            # An unknown person still becomes the antecedent of "he"/"she", so a pronoun
            # never jumps back to an earlier, different person.
            self.mem.recent.append((self.sentence_index, None, "person"))
        return actor

    def observe(self, head: Token) -> None:
        """Resolve a mention only to remember it (names and titles introduced in passing)."""
        if head.pos_ == "PROPN" or head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
            self.resolve_one(head)

    def observe_sentence(self, sent) -> None:
        """Remember the named actors a sentence introduces, before its events are read."""
        for ent in tree.sent_ents(sent):
            if ent.label_ in ("PERSON", "ORG", "NORP", "GPE", "FAC"):
                self.observe(ent.root)

    # --- internals -----------------------------------------------------------------
    def _from_text(self, text: str, start: int, end: int, head: Token) -> Actor | None:
        clean = text.strip()
        words = clean.split()
        # A surname (or a name) met earlier in the article with a title.
        if head.pos_ == "PROPN" and words and words[-1].strip("’'s").lower() in self.mem.surnames:
            known = self.mem.surnames[words[-1].strip("’'s").lower()]
            res = self._phrase(clean)
            if res is None or res.confidence < known.confidence or res.code is None:
                return _copy(known, text, start, end, "coreference: " + (known.name or known.text))
        res = self._phrase(clean)
        if res is None:
            if head.lemma_.lower() in GENERIC_HEADS and head.pos_ == "NOUN":
                return self._title_coref(head, text, start, end)
            return None
        if res.country is None and head.lemma_.lower() in GENERIC_HEADS and any(
            c.lower_ == "the" for c in head.children if c.dep_ == "det"
        ):
            prior = self._title_coref(head, text, start, end)
            if prior is not None:
                return prior
        if res.code is None and res.sector is None and res.country is None:
            return None
        return Actor(
            text=text, start=start, end=end, code=res.code or _code(res.country, res.sector),
            country=res.country, sector=res.sector, name=res.name, confidence=res.confidence,
            reason=res.reason + (" (ambiguous)" if getattr(res, "ambiguous", False) else ""),
        )

    def _title_coref(self, head: Token, text: str, start: int, end: int) -> Actor | None:
        """"the minister" → the last person whose title contains that noun."""
        noun = head.lemma_.lower()
        for _i, actor, kind in reversed(self.mem.recent[-12:]):
            if kind == "person" and actor is not None and noun in (actor.reason or "").lower():
                return _copy(actor, text, start, end, f"coreference: '{text}' → {actor.name or actor.text}")
        return None

    def _pronoun(self, t: Token) -> Actor | None:
        low = t.lower_
        start, end = t.idx, t.idx + len(t)
        if low in FIRST_PERSON:
            return None
        window = [x for x in self.mem.recent if x[0] >= self.sentence_index - 2]
        if low in PERSON_PRONOUNS:
            for _i, a, kind in reversed(window):
                if kind == "person":
                    return _copy(a, t.text, start, end, f"pronoun '{t.text}' → {a.name or a.text}") if a else None
            return None
        if low in THING_PRONOUNS:
            if t.dep_ not in ("nsubj", "nsubjpass"):
                # "point the finger at Russia and hold it accountable": an earlier object.
                ante = _singular_antecedent(t)
                if ante is not None:
                    a = self.resolve_one(ante)
                    if a is not None:
                        return _copy(a, t.text, start, end, f"pronoun '{t.text}' → {a.text}")
            # Prefer the subject of the clause that governs this one ("Kremlin said it was …").
            gov = _governing_subject(t)
            if gov is not None and gov.lower_ not in THING_PRONOUNS | PLURAL_PRONOUNS | PERSON_PRONOUNS:
                a = self.resolve_one(gov)
                if a is not None:
                    return _copy(a, t.text, start, end, f"pronoun '{t.text}' → {a.text}")
            for _i, a, kind in reversed(window):
                if kind != "person" and a is not None:
                    return _copy(a, t.text, start, end, f"pronoun '{t.text}' → {a.text}")
            return None
        if low in PLURAL_PRONOUNS:
            for ante in _plural_antecedents(t):
                while ante.dep_ == "conj" and ante.head.i != ante.i:
                    ante = ante.head  # "the U.S. and its partners … their": the coordination
                if ante.lemma_.lower() in NON_ACTOR_PLURALS:
                    continue  # "within 72 hours … them": not a candidate at all
                found = [a for a in self.resolve(ante) if a is not None]
                a = found[0] if found else None
                # The nearest plausible plural decides, resolvable or not ("terrorists … they").
                return _copy(a, t.text, start, end, f"pronoun '{t.text}' → {a.text}") if a else None
            gov = _governing_subject(t)
            if gov is not None and gov.lower_ not in PLURAL_PRONOUNS | THING_PRONOUNS:
                a = self.resolve_one(gov)
                if a is not None:
                    return _copy(a, t.text, start, end, f"pronoun '{t.text}' → {a.text}")
            for _i, a, kind in reversed(window):
                if kind == "group" and a is not None:
                    return _copy(a, t.text, start, end, f"pronoun '{t.text}' → {a.text}")
        return None

    def _remember(self, actor: Actor, toks: list[Token]) -> None:
        names = [t for t in toks if t.pos_ == "PROPN" and t.ent_type_ == "PERSON"]
        is_person = bool(names) or "person" in (actor.reason or "")
        kind = "person" if is_person else "group" if toks[-1].tag_ in ("NNS", "NNPS") else "thing"
        if names and actor.confidence >= 0.5:
            self.mem.surnames[names[-1].text.strip("’'s").lower()] = actor
        self.mem.recent.append((self.sentence_index, actor, kind))
        if len(self.mem.recent) > 50:
            self.mem.recent = self.mem.recent[-50:]
        if actor.country and len(actor.country) == 3:
            self.mem.countries[actor.country] += 1


def _governing_subject(t: Token) -> Token | None:
    """For a pronoun inside a clause, the subject of the clause that governs it."""
    node = t.head
    for _ in range(6):
        if node.head.i == node.i:
            return None
        if node.dep_ in ("ccomp", "xcomp", "advcl", "relcl", "conj", "pcomp", "pobj", "prep", "dobj", "nsubj"):
            head = node.head
            subj = tree.first(head, tree.SUBJ)
            if subj is not None and subj.i != t.i and t not in subj.subtree:
                return subj
            node = head
        else:
            return None
    return None


def _plural_antecedents(t: Token):
    """Plural nouns before ``t`` in its sentence that are subjects or objects, nearest first."""
    sent = tree.sent_of(t)
    for x in reversed(list(sent[: t.i - sent.start])):
        if x.tag_ in ("NNS", "NNPS") and x.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos"):
            yield x


def _singular_antecedent(t: Token) -> Token | None:
    """The closest singular name or noun before ``t`` in its sentence, not the subject of t's clause."""
    own = tree.clause_subject(t.head) if t.head.i != t.i else None
    sent = tree.sent_of(t)
    before = [x for x in reversed(list(sent[: t.i - sent.start]))
              if not (own is not None and (x.i == own.i or x in own.subtree))]
    for x in before:  # names first: "point the finger at Russia and hold it accountable"
        if x.tag_ == "NNP" and x.ent_type_ in ("GPE", "ORG", "NORP", "PERSON") and x.dep_ in ("dobj", "pobj", "nsubj", "conj", "appos"):
            return x
    return None


def _text_span(t: Token) -> tuple[str, int, int]:
    toks = tree.np_tokens(t)
    start, end = tree.span_of(toks)
    return tree.span_text(t.doc, start, end), start, end


def _code(country: str | None, sector: str | None) -> str | None:
    if country and sector:
        return country + sector
    return country or sector


def _copy(a: Actor, text: str, start: int, end: int, reason: str) -> Actor:
    return Actor(text=text, start=start, end=end, code=a.code, country=a.country, sector=a.sector,
                 name=a.name, confidence=a.confidence * 0.9, reason=reason)


def _merge(a: Actor | None, b: Actor, text: str, start: int, end: int) -> Actor:
    if a is None:
        return Actor(text=text, start=start, end=end, code=b.code, country=b.country, sector=b.sector,
                     name=b.name, confidence=b.confidence * 0.95, reason="apposition: " + b.reason)
    country = a.country or b.country
    sector = a.sector or b.sector
    return Actor(text=text, start=start, end=end, code=_code(country, sector) if not a.code or a.sector is None else a.code,
                 country=country, sector=sector, name=a.name or b.name, confidence=max(a.confidence, b.confidence),
                 reason=f"{a.reason}; apposition: {b.reason}")
