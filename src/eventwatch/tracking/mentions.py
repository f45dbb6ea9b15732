"""Agreement, ceasefire and talks mentions in a parsed article, with what each sentence says
happened to them.

A mention is a noun from ``data/agreement_terms.tsv`` ("the truce", "a Franco-Italian accord",
"the truce Oman and Qatar brokered", "talks with the rebels"). For each one:

* **parties** — national modifiers ("Franco-Italian", "U.S.-Chinese"), possessors, ``between X and Y``, ``with X``,
  the subject of the verb that concludes it ("X and Y agreed to a ceasefire") and the actors of
  the coded event on that verb; **brokers** — ``brokered/mediated/sponsored by X``;
* **place** — a place attached to the noun or its verb ("in Syria", "around Hodeidah",
  "the Syrian ceasefire"), else the country where the article's story happens (weak);
* **states** — the lifecycle cue of its sentence (``data/lifecycle.tsv``: "broke down" →
  collapsed, "took effect" → in force, "agreed to extend" → renewed, "violations of" → breach
  alleged …) with the cue's modality, date, speaker, and — for breaches — accuser and accused.
  Breach words and accusations elsewhere in the sentence ("blaming rebel groups for hundreds
  of violations", "accused Washington of sabotaging the truce") are breaches of the mention.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from eventwatch.model import Actor, EventDate
from eventwatch.nlp import tree
from eventwatch.tracking import lexicon
from eventwatch.tracking.grammar import (
    accusation_frame, demanded, expand_breaches, governing_verb, is_nominal_cue, matches, own_clause, relations,
    token_at,
)

DEFINITE = {"the", "this", "that", "these", "those"}
NEW_WORDS = {"new", "another", "second", "fresh", "separate", "local", "mutual", "partial", "third", "further",
             "different", "bilateral", "interim"}
PLACE_PREPS = {"in", "around", "along", "across", "for", "near", "over", "on", "throughout", "at", "inside",
               "outside", "covering", "between"}
BROKER_VERBS = {"broker", "mediate", "sponsor", "back", "guarantee", "facilitate", "host"}
PARTY_VERBS = {"sign", "agree", "reach", "declare", "conclude", "announce", "strike", "accept", "seal", "clinch", "ink"}
AGREE_ROOTS = {"03", "04", "05", "06", "08"}
NEARLY = {"nearly", "almost", "close"}
PLACE_SURE = 0.5  # a toponym resolved with less confidence ("Red Sea": a Sudanese state or the sea) is only a hint
GENERIC_DETS = {"any", "no", "every", "each"}


@dataclass(slots=True)
class StateCue:
    state: str
    date: EventDate
    modality: str
    cue: str
    cue_start: int
    cue_end: int
    accuser: Actor | None = None
    accused: Actor | None = None
    attributed: Actor | None = None
    event_id: str | None = None
    alleged: str | None = None  # the nested alleged event (CAMEO code) of an accusation
    confidence: float = 0.8
    others: list = field(default_factory=list)  # further accused ("against the army and its allies")


@dataclass(slots=True)
class Mention:
    id: str
    article_id: str
    sentence_index: int
    sentence_text: str
    sentence_start: int
    sentence_end: int
    start: int
    end: int
    text: str
    term: str
    type: str
    definite: bool = False
    introduces: bool = False  # an indefinite mention with content of its own: a new agreement
    plural: bool = False
    parties: list[Actor] = field(default_factory=list)
    brokers: list[Actor] = field(default_factory=list)
    place: dict | None = None
    published: str | None = None
    states: list[StateCue] = field(default_factory=list)
    cluster: int = -1
    head_i: int = -1  # token index of the head in its doc (detection only)

    def country(self) -> str | None:
        return (self.place or {}).get("country")


def mention_id(article_id: str, start: int) -> str:
    return hashlib.sha1(f"{article_id}|{start}".encode()).hexdigest()[:16]


def _pub(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def actor_from_record(rec: dict | None) -> Actor | None:
    if not rec:
        return None
    return Actor(text=rec.get("text") or "", start=rec.get("start") or 0, end=rec.get("end") or 0,
                 code=rec.get("code"), country=rec.get("country"), sector=rec.get("sector"),
                 name=rec.get("name"), confidence=rec.get("confidence") or 0.5, reason=rec.get("reason") or "")


class Detector:
    """Finds the mentions of one article; ``events`` are its coded event records (store dicts),
    ``quotes`` its :class:`~eventwatch.tracking.quotes.Quote` list (speakers of quoted claims)."""

    def __init__(self, article, docs, events=(), quotes=(), geo: bool = True, places: dict | None = None):
        from eventwatch.actors.context import ArticleActors

        self.article = article
        self.docs = list(docs)
        self.pub = _pub(article.published)
        self.events = list(events)
        self.quotes = sorted((q for q in quotes if q.speaker is not None), key=lambda q: q.end - q.start)
        self.ctx = ArticleActors(date=article.published, dateline=article.dateline)
        self.ctx.scan_locations(self.docs)
        self.geo = geo
        self._places: dict[int, list] = {}
        self._given = places or {}  # the coder's geoparse of the same docs, keyed by id(doc)
        self._by_trigger: dict[int, list[dict]] = {}
        for e in self.events:
            self._by_trigger.setdefault(e["trigger"]["start"], []).append(e)

    # --- article --------------------------------------------------------------------
    def run(self) -> list[Mention]:
        out: list[Mention] = []
        index = 0
        for base, doc in self.docs:
            self._geoparse(doc)
            found_terms = matches(doc)
            for sent in doc.sents:
                self.ctx.start_sentence(index)
                self.ctx.observe_sentence(sent)
                here = [m for m in found_terms if sent.start <= m[0].i < sent.end]
                found = [x for x in (self._mention(*mt, sent, index, base) for mt in here) if x]
                self._sentence_breaches(found, sent, index, base)
                for m in found:  # "each side blamed the other": no sides resolved apart, no accusation
                    m.states = [x for x in m.states if not (x.state == "breach_alleged" and x.accuser and x.accused
                                                            and x.accuser.code == x.accused.code)]
                out.extend(found)
                index += 1
        return out

    def _geoparse(self, doc) -> None:
        if not self.geo:
            return
        try:
            from eventwatch.places import GazetteerUnavailable, geoparse
        except ImportError:  # pragma: no cover
            self.geo = False
            return
        try:
            self._places[id(doc)] = self._given.get(id(doc)) or geoparse(
                doc, dateline=self.article.dateline, hint_countries=self.ctx.priors(), url=self.article.url)
        except GazetteerUnavailable:
            self.geo = False
            return
        for p in self._places[id(doc)]:  # where the story happens: the weak prior for bare agents
            if p.country and p.lat is not None and not p.reason.startswith("metonymy") \
                    and not (p.feature or "").startswith("PCL"):  # countries are often actors ("brokered by Russia")
                self.ctx.locations[p.country] += 1

    # --- one mention ----------------------------------------------------------------
    def _mention(self, head, term: str, typ: str, t0: int, t1: int, sent, index: int, base: int) -> Mention | None:
        if tree.negated(head) or any(c.lower_ == "no" for c in head.children if c.dep_ == "det"):
            return None
        np = tree.np_tokens(head)
        s, e = tree.span_of(np)
        s, e = min(s, t0), max(e, t1)
        dets = {c.lower_ for c in head.children if c.dep_ in ("det", "poss")}
        definite = bool(dets & DEFINITE) or any(c.dep_ == "poss" for c in head.children)
        plural = head.tag_ in ("NNS", "NNPS") and typ != "talks"
        m = Mention(
            id=mention_id(self.article.id, base + head.idx), article_id=self.article.id, sentence_index=index,
            sentence_text=sent.text.rstrip(), sentence_start=base + sent.start_char,
            sentence_end=base + sent.start_char + len(sent.text.rstrip()), start=base + s, end=base + e,
            text=tree.span_text(head.doc, s, e), term=term, type=typ, definite=definite, plural=plural,
            published=self.article.published, head_i=head.i,
        )
        self._actors(m, head, base)
        self._place(m, head, base)
        cue = self._cue(m, head, sent, base)
        if cue is not None:
            m.states.append(cue)
            expand_breaches(m)
        mods = {c.lower_ for c in head.children if c.dep_ in ("amod", "det")}
        m.introduces = not definite and bool(
            mods & NEW_WORDS or m.parties
            or (m.states and m.states[0].state in ("proposed", "negotiated", "signed", "declared"))
        )
        if plural and not m.parties:
            return None  # "ceasefires", "the agreements reached in past months": not one agreement
        return m

    def _actors(self, m: Mention, head, base: int) -> None:
        from eventwatch.actors import resolve_phrase

        def add(lst, actors, shift: bool = True):
            for a in actors:
                if a is not None and (a.code or a.country) and all(x.code != a.code for x in lst):
                    lst.append(_shift(a, base) if shift else a)

        national = []
        for c in head.children:
            if c.dep_ in ("amod", "compound", "nmod") and lexicon.term_type(c.text) is None:
                for piece in c.text.replace("/", "-").split("-"):
                    r = resolve_phrase(piece, date=self.article.published) if len(piece) > 1 else None
                    if r is not None and r.country and len(r.country) == 3 and r.sector in (None, "GOV"):
                        national.append(Actor(text=c.text, start=c.idx, end=c.idx + len(c), code=r.code or r.country,
                                              country=r.country, sector=r.sector, name=r.name,
                                              confidence=r.confidence, reason=f"modifier '{piece}': {r.reason}"))
            elif c.dep_ == "poss":
                add(m.parties, self.ctx.resolve(c))
        if len(national) == 1 and m.type == "ceasefire":
            m.place = {"country": national[0].country, "name": national[0].text, "geonameid": None,
                       "source": "modifier"}
        else:
            add(m.parties, national)
        for prep, obj in tree.prep_objects(head):
            if prep in ("between", "with", "among"):
                add(m.parties, self.ctx.resolve(obj))
        for c in head.children:
            if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB":
                agents = [o for p, o in tree.prep_objects(c) if p == "by"]
                for a in agents:
                    add(m.brokers if c.lemma_.lower() in BROKER_VERBS else m.parties, self.ctx.resolve(a))
        verb = governing_verb(head)
        if verb is not None and verb.lemma_.lower() in PARTY_VERBS | BROKER_VERBS:
            target = m.brokers if verb.lemma_.lower() in BROKER_VERBS else m.parties
            subj = tree.clause_subject(verb)
            if subj is not None and subj.i != head.i:
                add(target, self.ctx.resolve(subj))
            for prep, obj in tree.prep_objects(verb):
                if prep in ("with", "between") or (prep == "by" and tree.is_passive(verb)):
                    add(target, self.ctx.resolve(obj))
            for ev in self._by_trigger.get(base + verb.idx, []):
                if ev["cameo"]["root"] in AGREE_ROOTS:
                    add(target, [actor_from_record(ev["source"]), actor_from_record(ev["target"])], shift=False)

    def _place(self, m: Mention, head, base: int) -> None:
        if m.place is not None:
            return
        anchors = [head]
        verb = governing_verb(head)
        if verb is not None and head.dep_ in ("nsubj", "nsubjpass"):
            anchors.append(verb)
        places = self._places.get(id(head.doc), [])
        from eventwatch.actors import resolve_phrase

        for anchor in anchors:
            for prep, obj in tree.prep_objects(anchor):
                if prep not in PLACE_PREPS:
                    continue
                lo = min(t.idx for t in obj.subtree)
                hi = max(t.idx + len(t) for t in obj.subtree)
                hit = [p for p in places if lo <= p.start < hi and p.country and not p.reason.startswith("metonymy")]
                if hit:
                    p = max(hit, key=lambda q: q.confidence)
                    m.place = {"country": p.country, "name": p.name or p.text, "geonameid": p.geonameid,
                               "source": "text" if p.confidence >= PLACE_SURE else "uncertain",
                               "start": base + p.start, "end": base + p.end}
                    return
                if obj.ent_type_ in ("GPE", "LOC"):
                    r = resolve_phrase(obj.text, date=self.article.published)
                    if r is not None and r.country and len(r.country) == 3:
                        m.place = {"country": r.country, "name": obj.text, "geonameid": None, "source": "text"}
                        return
        for c in head.children:  # "the Hodeidah truce"
            if c.dep_ == "compound" and c.ent_type_ in ("GPE", "LOC"):
                hit = [p for p in places if p.start <= c.idx < p.end and p.country]
                if hit:
                    m.place = {"country": hit[0].country, "name": hit[0].name or hit[0].text,
                               "geonameid": hit[0].geonameid, "source": "modifier"}
                    return
        focus = [c for c, _n in self.ctx.locations.most_common(1)]
        focus = focus or ([self.ctx.dateline_country] if self.ctx.dateline_country else [])
        focus = focus or [c for c, _n in self.ctx.mem.countries.most_common(1)]
        if focus:
            m.place = {"country": focus[0], "name": None, "geonameid": None, "source": "article"}

    # --- lifecycle cues -------------------------------------------------------------
    def _cue(self, m: Mention, head, sent, base: int) -> StateCue | None:
        table = lexicon.lifecycle()
        for rel, cue_tok, keys in relations(head):
            for key in keys:
                for c in table.get((rel, key), ()):
                    if c.applies(m.type):
                        return self._state(m, c, cue_tok, sent, base)
        return None

    def _state(self, m: Mention, c: lexicon.Cue, cue_tok, sent, base: int) -> StateCue | None:
        from eventwatch.events.modality import detect

        mod = detect(cue_tok)
        state = c.state
        modality = mod.value
        if state == "in_force" and demanded(cue_tok):
            return None  # "must respect the ceasefire", "make them respect it": a demand, not a fact
        if any(x.lower_ in NEARLY for x in cue_tok.children if x.dep_ == "advmod") and state == "concluded":
            state = "negotiated"
        when = self._date(sent, cue_tok, skip=_side_clauses(m, cue_tok))
        if is_nominal_cue(cue_tok, m):
            when = EventDate(self.article.published[:10] if self.article.published else None, "day", "reference", None)
        if modality == "negated":
            if c.negated is None:
                return None
            state, modality = c.negated, "asserted"
        elif modality in ("intended", "hypothetical"):
            if state in ("revival_talks", "proposed", "negotiated"):
                pass
            elif modality == "intended" and mod.cue in ("agree", "decide", "vote") and state in (
                    "renewed", "collapsed", "concluded"):
                modality = "asserted"  # "agreed to extend the truce": decided
            elif state == "concluded":
                state = "negotiated"  # "preparing to sign", "will sign"
            elif modality == "intended" and when.source == "text":
                when = _future(when, self.pub)  # "will take effect on Monday": scheduled
            else:
                return None
        if state == "concluded":
            state = "declared" if m.type == "ceasefire" else "signed"
        cue = StateCue(state=state, date=when, modality=modality, cue=cue_tok.text, cue_start=base + cue_tok.idx,
                       cue_end=base + cue_tok.idx + len(cue_tok), confidence=0.8 if modality == "asserted" else 0.6)
        cue.attributed = self._speaker(cue_tok, mod.speaker, base)
        if state == "breach_alleged":
            self._breach_actors(cue, cue_tok, base)
        return cue

    def _date(self, sent, tok, skip=()) -> EventDate:
        """The date the cue's clause carries; date expressions inside ``skip`` token ranges (a
        participle on the mention: "The truce, brokered … last week, took effect on Sunday")
        belong to another clause and are blanked out."""
        from eventwatch.dates import event_date

        text = sent.text
        for lo, hi in skip:
            a, b = lo - sent.start_char, hi - sent.start_char
            if 0 <= a < b <= len(text) and not (a <= tok.idx - sent.start_char < b):
                text = text[:a] + " " * (b - a) + text[b:]
        return event_date(text, tok.idx - sent.start_char, self.pub)

    def _speaker(self, tok, speaker_head, base: int) -> Actor | None:
        q = next((q for q in self.quotes if q.start <= base + tok.idx < q.end), None)
        if q is not None:
            return q.speaker
        if speaker_head is not None:
            a = self.ctx.resolve_one(speaker_head)
            return _shift(a, base) if a is not None else None
        return None

    def _breach_actors(self, cue: StateCue, tok, base: int) -> None:
        """Who is accused of the breach (the cue's agent, else the object of an accusation that
        frames it) and who accuses (the accusation's subject, else the speaker)."""
        subj = tree.clause_subject(tok) if tok.pos_ in ("VERB", "AUX") else None
        if subj is None and tok.pos_ == "NOUN":
            subj = next((c for c in tok.children if c.dep_ == "poss"), None)
        if subj is not None:
            got = self.ctx.resolve(subj)
            cue.accused = _shift(got[0], base) if got else None
            cue.others = [_shift(x, base) for x in got[1:]]
        acc = accusation_frame(tok)
        if acc is not None:
            verb, accused_tok, accuser_tok = acc
            if cue.accused is None and accused_tok is not None:
                got = self.ctx.resolve(accused_tok)
                cue.accused = _shift(got[0], base) if got else None
                cue.others = [_shift(x, base) for x in got[1:]]
            if accuser_tok is not None:
                got = self.ctx.resolve(accuser_tok)
                cue.accuser = _shift(got[0], base) if got else None
                if cue.accuser is None and accuser_tok.pos_ == "PRON":
                    cue.accuser = self._last_speaker(base + tok.idx)
            for ev in self._by_trigger.get(base + verb.idx, []):
                if ev["plover"]["event"] == "ACCUSE" and ev["source"]:
                    cue.accuser = cue.accuser or actor_from_record(ev["source"])
                    cue.event_id = cue.event_id or ev["id"]
        if cue.accuser is None:
            cue.accuser = cue.attributed

    def _last_speaker(self, pos: int) -> Actor | None:
        """The speaker of the latest quote framed before ``pos`` (a pronoun accuser: "and he accused …")."""
        before = [q for q in self.quotes if q.cue_start is not None and q.cue_start < pos and pos - q.cue_start < 600]
        return max(before, key=lambda q: q.cue_start).speaker if before else None

    def _sentence_breaches(self, found: list[Mention], sent, index: int, base: int) -> None:
        """Breach words and accusations that are not the mention's own cue, in a sentence that
        names an agreement: "blaming rebel groups for violations", "accused X of sabotaging the truce"."""
        targets = [m for m in found if m.type in ("ceasefire", "agreement")]
        if not targets:
            return
        used = {s.cue_start for m in found for s in m.states}
        words = lexicon.breach_words()
        for t in sent:
            if base + t.idx in used:
                continue
            kind = "verb" if t.pos_ == "VERB" else "noun" if t.pos_ == "NOUN" else None
            if kind is None or t.lemma_.lower() not in words.get(kind, ()):
                continue
            if _not_a_claim(t):
                continue
            m = min(targets, key=lambda x: abs(x.head_i - t.i))
            cue = StateCue(state="breach_alleged", date=self._date(sent, t), modality="asserted", cue=t.text,
                           cue_start=base + t.idx, cue_end=base + t.idx + len(t), confidence=0.6)
            cue.attributed = self._speaker(t, None, base)
            self._breach_actors(cue, t, base)
            m.states.append(cue)
            expand_breaches(m)
            used.add(cue.cue_start)
        for ev in self.events:
            if ev["sentence"]["index"] != index or ev["plover"]["event"] != "ACCUSE" or ev["parent"]:
                continue
            if ev["modality"] not in ("asserted", "reported") or not ev["target"]:
                continue
            tok = token_at(sent, ev["trigger"]["start"] - base)
            if tok is None:
                continue
            scope = own_clause(tok)
            inside = [m for m in targets if m.head_i in scope]
            idxs = {sent.doc[i].idx for i in scope}
            breach_in_scope = any(s.cue_start - base in idxs
                                  for m in found for s in m.states if s.state == "breach_alleged")
            if not inside and not breach_in_scope:
                continue
            m = inside[0] if inside else min(targets, key=lambda x: abs(x.head_i - tok.i))
            accuser, accused = actor_from_record(ev["source"]), actor_from_record(ev["target"])
            dup = next((s for s in m.states if s.state == "breach_alleged"
                        and (s.accused is None or s.accused.country == accused.country)
                        and (s.accuser is None or s.accuser.country == accuser.country)), None)
            if dup is not None:  # the breach cue already seen: complete it with the event's actors
                dup.accuser = dup.accuser or accuser
                dup.accused = dup.accused or accused
                dup.event_id = dup.event_id or ev["id"]
                continue
            alleged = next((x["cameo"]["code"] for x in self.events if x["parent"] == ev["id"]), None)
            m.states.append(StateCue(
                state="breach_alleged", date=_record_date(ev), modality=ev["modality"], cue=ev["trigger"]["text"],
                cue_start=ev["trigger"]["start"], cue_end=ev["trigger"]["end"], accuser=accuser, accused=accused,
                attributed=actor_from_record(ev["attributed_to"]), event_id=ev["id"], alleged=alleged,
                confidence=round(min(0.8, ev["confidence"] + 0.2), 3)))


def _side_clauses(m: Mention, cue_tok) -> list[tuple[int, int]]:
    """Character ranges of participial or relative clauses on the mention ("brokered by … last week")."""
    doc = cue_tok.doc
    head = doc[m.head_i] if 0 <= m.head_i < len(doc) else None
    if head is None:
        return []
    out = []
    for c in head.children:
        if c.dep_ in ("acl", "relcl") and cue_tok not in c.subtree:
            toks = list(c.subtree)
            out.append((toks[0].idx, toks[-1].idx + len(toks[-1])))
    return out


def _not_a_claim(t) -> bool:
    """A breach word that alleges nothing: generic ("any violation would be met firmly") or
    under a modal, a condition, a negation or a future."""
    from eventwatch.events.modality import detect

    if any(c.lower_ in GENERIC_DETS for c in t.children if c.dep_ == "det"):
        return True
    verb = t if t.pos_ == "VERB" else t.head if t.dep_ in ("nsubj", "nsubjpass", "dobj") else None
    return verb is not None and detect(verb).value in ("hypothetical", "intended", "negated")


def _future(d: EventDate, pub: date | None) -> EventDate:
    """A scheduled change ("will take effect on Monday") read against the publication date:
    weekday expressions that resolved to the past are the coming weekday."""
    if pub is None or d.date is None or d.source != "text" or not d.expression:
        return d
    day = date.fromisoformat(d.date)
    if day < pub and any(w in d.expression.lower() for w in
                         ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")):
        return replace(d, date=(day + timedelta(days=7)).isoformat())
    return d


def _record_date(ev: dict) -> EventDate:
    return EventDate(ev.get("date"), ev.get("date_precision") or "day", ev.get("date_source") or "publication",
                     ev.get("date_expression"))


def _shift(a: Actor | None, base: int) -> Actor | None:
    if a is None or base == 0:
        return a
    return replace(a, start=a.start + base, end=a.end + base)
