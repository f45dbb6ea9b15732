"""The event coder: parsed article in, coded events with evidence out.

For every sentence, each verb, noun or adjective whose lemma is in the lexicon is a
candidate trigger. Its source comes from the clause (subject, passive agent, control,
coordination) or, for nominal events ("Moscow's reproach of the United States",
"airstrikes on the Syrian Army"), from the possessor, a ``by`` phrase, a national
adjective or the light verb that carries the noun ("carried out airstrikes"). The
most specific lexicon pattern whose constraints hold gives the CAMEO code and where
the target is. Actors are resolved in context; an event without a resolvable source
is not produced — no event rather than a wrong one, and no fallback codes — except
violence against a known actor by an unnamed perpetrator, coded with the unidentified
armed forces of the place (``events/frames.py``, with the demand frames and ultimatums).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Doc, Token

from eventwatch.actors.context import ArticleActors
from eventwatch.events import codes
from eventwatch.events.common import event_id, same, shift
from eventwatch.events.frames import ULTIMATUM, FrameEvents, ultimatum
from eventwatch.events.lexicon import Lexicon, default_lexicon
from eventwatch.events.match import Match, is_light_verb, is_undoing_verb, match_token
from eventwatch.events.modality import cues, detect
from eventwatch.events.targets import phrase_targets
from eventwatch.model import Actor, Article, Event, EventDate
from eventwatch.nlp import tree

RECIPROCAL_ROOTS = {"03", "04", "05", "06", "19"}
SPEAKER_PARTY_ROOTS = {"03", "04", "05", "06"}  # "an agreement was reached with X", said one party
MAX_SENTENCE_TOKENS = 150
CHUNK_CHARS = 20000


@dataclass(slots=True)
class Chunk:
    """A piece of an article body parsed as one spaCy doc (bounded memory for huge bodies)."""

    article_index: int
    start: int
    text: str


def chunks(body: str, limit: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """Split a body at paragraph breaks (then sentence ends, then hard) into pieces ≤ limit."""
    pos = 0
    n = len(body)
    while pos < n:
        end = min(n, pos + limit)
        if end < n:
            cut = body.rfind("\n\n", pos, end)
            if cut <= pos:
                cut = body.rfind(". ", pos, end)
                cut = cut + 1 if cut > pos else end
            end = cut
        piece = body[pos:end]
        if piece.strip():
            yield pos, piece
        pos = end


@dataclass(slots=True)
class _Where:
    """Places and dates context of the article being coded."""

    published: date | None = None
    places: dict[int, list] = field(default_factory=dict)  # id(doc) -> places in that doc
    dateline: object = None


class Coder(FrameEvents):
    """Codes parsed articles with a lexicon; holds no state between articles.

    With ``geo=True`` (the default) every event gets a location from the gazetteer
    (the place the sentence ties to the action, else a place in the sentence, else the
    dateline) and a date from the sentence's date expressions against the publication
    date (else the publication date, marked as such).
    """

    def __init__(self, lexicon: Lexicon | None = None, geo: bool = True):
        self.lex = lexicon or default_lexicon()
        self._lemmas = {lemma for lemma, _pos in self.lex.patterns}
        self.geo = geo
        self._where = _Where()
        self._actors_here: tuple = ()
        self._fired: dict[int, list[Event]] = {}
        self._bound: dict[int, Token] = {}
        self._quotes: list = []

    # --- article level -------------------------------------------------------------
    def code(self, article: Article, docs: Iterable[tuple[int, Doc]]) -> list[Event]:
        """Events of one article from its parsed chunks ``(offset in body, doc)``."""
        ctx = ArticleActors(date=article.published, dateline=article.dateline)
        docs = list(docs)
        ctx.scan_locations(docs)
        self._where = self._locate(article, docs, ctx)
        events: list[Event] = []
        index = 0
        for base, doc in docs:
            for sent in doc.sents:
                ctx.start_sentence(index)
                if len(sent) <= MAX_SENTENCE_TOKENS and any(t.is_alpha for t in sent):
                    events.extend(self._sentence(article, sent, index, base, ctx))
                index += 1
        # Quotes over several sentences or paragraphs: events inside are the speaker's claims (tracking.quotes).
        from eventwatch.tracking.quotes import attribute_events, find_quotes

        events = list({e.id: e for e in events}.values())  # the same event from two coordinated targets
        self._quotes = find_quotes(docs, article.published, article.dateline)
        return attribute_events(events, self._quotes)

    def places_of_last_article(self) -> dict:
        """The toponyms found in the article just coded, by ``id(doc)`` (reused by tracking)."""
        return self._where.places

    def quotes_of_last_article(self) -> list:
        """The quotes (direct and indirect) of the article just coded (reused by tracking)."""
        return self._quotes

    def _locate(self, article: Article, docs, ctx: ArticleActors) -> _Where:
        where = _Where(published=_pub_date(article.published))
        if not self.geo:
            return where
        from eventwatch.places import GazetteerUnavailable, geoparse, resolve_dateline

        try:
            hints = ctx.priors()
            for _base, doc in docs:
                where.places[id(doc)] = geoparse(doc, dateline=article.dateline, hint_countries=hints, url=article.url)
            every = [p for ps in where.places.values() for p in ps]
            where.dateline = resolve_dateline(article.dateline, every) if article.dateline else None
        except GazetteerUnavailable:
            self.geo = False
        return where

    def _place(self, sent, t: Token, base: int, quad: int, actors: tuple = ()):
        """Where the event happened; places that are the event's actors ("accused Russia")
        or the subject of another verb ("Aleppo and Moscow said") are not its location.
        Verbal events (QuadClass 1, 3) are placed only by a place tied to the trigger or the
        dateline: the other places of the sentence are what was talked about, not where."""
        if not self.geo:
            return None
        from eventwatch.places import event_location

        spans = [(a.start - base, a.end - base) for a in actors if a is not None and a.code]
        places = [
            p for p in self._where.places.get(id(t.doc), [])
            if not any(p.start < e and s_ < p.end for s_, e in spans) and not _argument_elsewhere(t.doc, p, t)
        ]
        place = event_location(t.doc, sent, t, places, self._where.dateline)
        if place is not None and quad in (1, 3) and "same sentence" in place.reason:
            place = event_location(t.doc, sent, t, [], self._where.dateline)
        if place is not None and place.start >= 0:
            place = replace(place, start=place.start + base, end=place.end + base)
        return place

    def _is_place(self, tok: Token) -> bool:
        """Whether a token is inside a toponym found in this piece ("shelled Homs")."""
        return any(p.start <= tok.idx < p.end for p in self._where.places.get(id(tok.doc), []))

    def _date(self, sent, t: Token) -> EventDate:
        from eventwatch.dates import event_date

        return event_date(sent.text, t.idx - sent.start_char, self._where.published)

    # --- sentence level ------------------------------------------------------------
    def _sentence(self, article: Article, sent, index: int, base: int, ctx: ArticleActors) -> list[Event]:
        ctx.observe_sentence(sent)
        out: list[Event] = []
        consumed: set[int] = set()
        self._fired = fired = {}  # token index -> events it triggered in this sentence
        self._bound = {}  # pronoun index -> the token a frame bound it to ("told Iraq that it must …")
        out.extend(self._demand_frames(article, sent, index, base, ctx))
        for t in sent:
            if t.i in consumed or not any(x in self._lemmas for x in tree.lemmas(t)):
                continue
            if t.pos_ in ("NOUN", "PROPN") and (t.head.i in fired or t.head.head.i in fired):
                continue  # "signed an agreement": the verb's event already covers the noun
            if t.pos_ in ("NOUN", "PROPN") and is_undoing_verb(t.head):
                continue  # "sanctions were lifted", "called for talks": the verb says what happened
            if t.tag_ == "VBN" and t.dep_ in ("amod", "compound", "acl"):
                continue  # "the internationally recognised government", "a truce brokered by X": background
            src_head = self._source_head(t)
            m = match_token(self.lex, t, src_head)
            if m is None or m.pattern.discard:
                continue
            if m.pattern.passive_subject:
                src_head = tree.first(t, tree.PASSIVE_SUBJ) or src_head
            if m.pattern.agent_prep and (src_head is None or src_head.dep_ not in ("poss", "pobj")):
                src_head = next((o for pp, o in tree.prep_objects(t) if pp == m.pattern.agent_prep), src_head)
            if m.pattern.via_report:
                new = self._via_report(article, sent, index, base, ctx, m, src_head)
            else:
                new = self._events(article, sent, index, base, ctx, m, src_head)
            out.extend(new)
            if new:
                fired[t.i] = new
                for g in m.nested:
                    consumed.add(g.i)
                    out.extend(self._nested(article, sent, index, base, ctx, g, new))
        return out

    def _source_head(self, t: Token) -> Token | None:
        if t.pos_ in ("NOUN", "PROPN") and not t.tag_.startswith("VB"):
            return self._noun_source(t)
        if t.pos_ == "ADJ" and t.dep_ in ("acomp", "amod") and t.dep_ == "acomp":
            return tree.clause_subject(t.head)
        return tree.clause_subject(t)

    def _noun_source(self, t: Token) -> Token | None:
        for c in t.children:
            if c.dep_ == "poss":
                if c.pos_ == "PRON" and t.dep_ in ("dobj", "obj") and is_light_verb(t.head):
                    # "the rebels continued their hunger strike": the subject says whose
                    return tree.clause_subject(t.head) or c
                return c
        for prep, obj in tree.prep_objects(t):
            if prep == "by":
                return obj
        for c in t.children:
            if c.dep_ in ("amod", "compound", "nmod") and (c.ent_type_ in ("NORP", "GPE", "ORG") or c.pos_ == "PROPN"):
                return c
        if t.dep_ in ("dobj", "obj") and is_light_verb(t.head):
            return tree.clause_subject(t.head)
        if t.dep_ == "pobj" and t.head.dep_ == "prep" and is_light_verb(t.head.head):
            return tree.clause_subject(t.head.head)
        return None

    def _events(self, article, sent, index, base, ctx, m: Match, src_head: Token | None,
                sources: list[Actor] | None = None, parent: Event | None = None) -> list[Event]:
        t = m.trigger
        p = m.pattern
        mod = detect(t)
        if p.neg and mod.value == "negated" and mod.governor is None:
            # "will not accept refugees", "would not meet demands": the pattern is the refusal itself.
            mod = replace(mod, value="reported" if mod.speaker is not None else "asserted")
        speaker = self._speaker(ctx, mod.speaker)
        if sources is None:
            if src_head is None and speaker and speaker.code and tree.is_passive(t) and p.code[:2] in SPEAKER_PARTY_ROOTS:
                sources = [speaker]  # "an agreement was reached with X", says one party
            else:
                src_head = self._bound.get(src_head.i, src_head) if src_head is not None else None
                sources = ctx.resolve(src_head) if src_head is not None else []
        sources = [s for s in sources if s is not None]
        if not sources:
            if parent is None and self._unattributed(t, p, src_head):
                return self._unattributed_events(article, sent, index, base, ctx, m, mod, speaker)
            return []
        if t.pos_ in ("NOUN", "PROPN") and not m.target_tokens and not (
            t.dep_ in ("dobj", "obj", "pobj") and (is_light_verb(t.head) or is_light_verb(t.head.head))
        ):
            return []  # a bare mention of "the agreement" is not a new event
        targets: list[Actor | None] = []
        unresolved: list[Actor] = []
        for tok in m.target_tokens:
            found = self._target(ctx, tok)
            targets.extend(found)
            if not found and tok.pos_ in ("NOUN", "PROPN") and not self._is_place(tok):
                unresolved.append(_unresolved(tok))
        if not targets and not (len(sources) > 1 and p.code[:2] in RECIPROCAL_ROOTS):
            targets = [a for a in self._implied_targets(ctx, m, sources) if not any(same(a, s_) for s_ in sources)]
        if targets and all(x is not None and any(same(x, s_) for s_ in sources) for x in targets):
            targets = []  # "restrictions on its labour market": the source's own, not a target
        if p.need_target and not targets:
            return []
        if not targets and unresolved and not (len(sources) > 1 and p.code[:2] in RECIPROCAL_ROOTS):
            # "attacked a convoy": the target is named but is not an actor; keep its text, no code.
            targets = unresolved
        pairs: list[tuple[Actor, Actor | None]] = []
        if not targets and len(sources) > 1 and p.code[:2] in RECIPROCAL_ROOTS:
            pairs = [(a, b) for i, a in enumerate(sources) for b in sources[i + 1 :]]
        else:
            pairs = [(s, tg) for s in sources for tg in (targets or [None])]
        code = codes.lookup(p.code)
        content_of = None
        if parent is None and mod.governor is not None and mod.governor.i in self._fired:
            # "agreed to lift sanctions", "threatened to impose": the content of another event.
            content_of = self._fired[mod.governor.i][0]
        elif parent is None and (purpose := self._purpose_of(t)) is not None:
            # "staged rallies to demand …", "rejected a U.S. request to interrogate …":
            # the purpose or content of another event, not a separate one.
            content_of = purpose
        elif parent is None and mod.value == "intended" and (mod.governor is None or mod.governor.i not in self._fired):
            # "Iran will send aid": CAMEO codes announced cooperation as intent, conflict as threat;
            # "will withdraw unless …" is an ultimatum.
            code = codes.lookup(ULTIMATUM) if ultimatum(t) else codes.intent(code.code)
        elif parent is None and mod.value == "negated" and mod.governor is None and _announced(t):
            # "Syria will not accept refugees": a refusal (CAMEO 12), asserted by whoever says so.
            refusal = codes.refusal_code(code.code)
            if refusal:
                code = codes.lookup(refusal)
                mod = replace(mod, value="reported" if mod.speaker is not None else "asserted")
        self._actors_here = tuple(sources) + tuple(x for x in targets if x) + ((speaker,) if speaker else ())
        out = []
        for src, tgt in pairs:
            if tgt is not None and same(src, tgt):
                continue
            modality, attributed = mod.value, None
            if content_of is not None:
                attributed = content_of.attributed_to
            elif parent is not None:
                modality = "negated" if mod.value == "negated" else "reported"
                attributed = parent.source
            elif speaker is not None:
                if same(speaker, src):
                    modality = "asserted" if mod.value == "reported" else mod.value
                else:
                    attributed = shift(speaker, base)
            out.append(self._event(article, sent, index, base, t, code, p, src, tgt, modality, attributed,
                                   parent or content_of))
        return out

    def _purpose_of(self, t: Token) -> Event | None:
        """The event whose purpose or object content ``t`` expresses: ``t`` is an infinitive
        or participle clause (xcomp/advcl/acl with "to", or -ing) under a token that fired."""
        if t.dep_ not in ("xcomp", "advcl", "acl"):
            return None
        if not (t.tag_ == "VBG" or any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)):
            return None
        node = t
        for _ in range(4):
            head = node.head
            if head.i == node.i:
                return None
            if head.i in self._fired:
                return self._fired[head.i][0]
            if node.dep_ not in ("xcomp", "advcl", "acl", "dobj", "pobj", "prep"):
                return None
            node = head
        return None

    @staticmethod
    def _speaker(ctx: ArticleActors, head: Token | None) -> Actor | None:
        """The reporting speaker as an actor; unresolved speakers keep their text, without codes."""
        if head is None:
            return None
        actor = ctx.resolve_one(head)
        if actor is not None:
            return actor
        start, end = tree.span_of(tree.np_tokens(head))
        return Actor(text=tree.span_text(head.doc, start, end), start=start, end=end, confidence=0.0,
                     reason="speaker not resolved to an actor")

    def _target(self, ctx: ArticleActors, tok: Token) -> list[Actor]:
        """Actors for a target phrase; for "a U.S. request" or "North Korea's demand", the owner."""
        found = ctx.resolve(tok)
        if found or tok.pos_ != "NOUN":
            return found
        return self._owner(ctx, tok)

    def _implied_targets(self, ctx: ArticleActors, m: Match, sources: list[Actor]) -> list[Actor]:
        """Targets the pattern's own slots do not name, found where the construction puts them:

        * the owner of the thing the pattern matched on ("accepted demands from the rebels",
          "conceded to the opposition's demands");
        * the subject of a demand's or appeal's clause ("demanded that the US cancel …");
        * the recipient of an announced or offered action ("offered to hand over to Britain",
          "promised to continue aid to Angola", "willing to withdraw from Chad");
        * last, with the pattern's target slot empty, the nearest actor in the verb phrase.
        """
        t, p = m.trigger, m.pattern
        for tok in tree.objects(t) if p.obj else []:
            found = self._owner(ctx, tok)
            if found:
                return found
        for pp, obj in tree.prep_objects(t):
            if any(pp in names and allowed for names, allowed in p.preps):
                found = self._owner(ctx, obj)
                if found:
                    return found
        root = p.code[:2]
        if root in ("02", "10"):
            for comp in (c for c in t.children if c.dep_ == "ccomp"):
                subj = tree.first(comp, tree.SUBJ)
                if subj is not None:
                    found = ctx.resolve(subj)
                    if found:
                        return found
        if root in ("03", "05", "06", "07", "08", "13"):
            for comp in (c for c in t.children if c.dep_ in ("xcomp", "advcl") and c.pos_ in ("VERB", "AUX")):
                for tok in tree.objects(comp):
                    found = ctx.resolve(tok)
                    if found:
                        return found
                for pp, obj in tree.prep_objects(comp):
                    if pp in ("to", "for", "with", "from", "against", "into", "on", "iobj"):
                        found = ctx.resolve(obj)
                        if found:
                            return found
        return [] if m.target_tokens else phrase_targets(ctx, t, root, sources)

    def _owner(self, ctx: ArticleActors, tok: Token) -> list[Actor]:
        """The actor a thing belongs to: possessor, national modifier, or a from/by/of phrase."""
        for c in tok.children:
            if c.dep_ == "poss" or (c.dep_ in ("amod", "compound", "nmod") and c.ent_type_ in ("NORP", "GPE", "ORG")):
                found = ctx.resolve(c)
                if found:
                    return found
        for prep, obj in tree.prep_objects(tok):
            if prep in ("by", "from", "of"):
                found = ctx.resolve(obj)
                if found:
                    return found
        return []

    def _via_report(self, article, sent, index, base, ctx, m: Match, src_head) -> list[Event]:
        """"X said Y was trying to distract from its failures": X accuses Y."""
        mod = detect(m.trigger)
        if mod.speaker is None or src_head is None or mod.value == "negated":
            return []
        speakers = ctx.resolve(mod.speaker)
        accused = ctx.resolve(src_head)
        self._actors_here = tuple(speakers) + tuple(accused)
        code = codes.lookup(m.pattern.code)
        out = []
        for s_ in speakers:
            for a in accused:
                if not same(s_, a):
                    out.append(self._event(article, sent, index, base, m.trigger, code, m.pattern, s_, a,
                                           "asserted", None, None))
        return out

    def _event(self, article, sent, index, base, t, code, p, src, tgt, modality, attributed, parent) -> Event:
        conf = p.conf * (src.confidence if src else 0.8) * (tgt.confidence if tgt else 1.0)
        sid = event_id(article.id, index, base + t.idx, src.code if src else "", tgt.code if tgt else "", code.code,
                       parent.id if parent else "")
        return Event(
            id=sid,
            article_id=article.id,
            sentence_index=index,
            sentence_text=sent.text.rstrip(),
            sentence_start=base + sent.start_char,
            sentence_end=base + sent.start_char + len(sent.text.rstrip()),
            trigger_text=t.text,
            trigger_start=base + t.idx,
            trigger_end=base + t.idx + len(t),
            cameo=code.code,
            source=shift(src, base),
            target=shift(tgt, base) if tgt else None,
            root=code.root,
            quad_class=code.quad_class,
            goldstein=code.goldstein,
            plover_event=code.plover_event,
            plover_mode=code.plover_mode,
            plover_context=code.plover_context,
            modality=modality,
            attributed_to=attributed,
            parent=parent.id if parent else None,
            date=self._date(sent, t),
            place=self._place(sent, t, base, code.quad_class, (src, tgt) + self._actors_here),
            confidence=round(conf, 3),
            rule=p.origin,
        )

    def _nested(self, article, sent, index, base, ctx, g: Token, outer: list[Event]) -> list[Event]:
        """"accused Russia of attacking a convoy": an alleged ASSAULT by the accused."""
        own = tree.first(g, tree.SUBJ)
        out = []
        for parent in outer:
            sources = ctx.resolve(own) if own is not None else ([parent.target] if parent.target else [])
            if not sources:
                continue
            m = match_token(self.lex, g, None)
            if m is None or m.pattern.discard:
                continue
            local = [shift(s, -base) for s in sources]
            out.extend(self._events(article, sent, index, base, ctx, m, None, sources=local, parent=parent))
        return out


def _argument_elsewhere(doc: Doc, place, trigger: Token) -> bool:
    """A place that is the subject or object of another verb ("accusing Russia", "Aleppo and
    Moscow said") is an actor there, not where this event happened."""
    root = tree.last_token(doc, place.start, place.end)
    if root is None:
        return False
    if tree.subject_of_next_verb(root):
        return True
    return root.dep_ in ("nsubj", "nsubjpass", "dobj", "poss", "appos") and root.head.i != trigger.i


def _announced(t: Token) -> bool:
    """A future auxiliary on the trigger ("will not", "would not" in reported speech)."""
    return any(c.dep_ == "aux" and c.lower_ in cues()["future_aux"] | {"would", "'d"} for c in t.children)


def _unresolved(tok: Token) -> Actor:
    start, end = tree.span_of(tree.np_tokens(tok))
    return Actor(text=tree.span_text(tok.doc, start, end), start=start, end=end, confidence=1.0,
                 reason="named target, not resolved to an actor")


def _pub_date(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None
