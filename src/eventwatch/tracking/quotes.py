"""Quotes and who said them: direct quotes (also across sentences and paragraphs), partial
quotes inside a clause, and indirect speech ("the minister said the rebels have not …").

:func:`find_quotes` takes a text, a parsed spaCy ``Doc`` or the coder's parsed chunks
``[(offset in body, Doc), …]`` and returns :class:`Quote` records with body offsets:

* **direct** — a quotation-mark span that is a whole utterance: ``“…,” the army's
  spokesman told reporters``, ``X said: “…”``; the cue (reporting verb) is looked for after the
  quote, then before it, in the same sentence; a quote with no cue continues the previous
  quote's speaker (a paragraph that is only a quote) or takes the speaker of a preceding
  ``X said:``. Quotes that run over paragraphs (no closing mark at the end of a paragraph,
  an opening mark at the start of the next) are one quote.
* **partial** — a quotation-mark span inside a clause (``called the agreement “fragile but
  real”``): the speaker is the subject of the nearest reporting verb above it, else of the
  verb that governs it.
* **indirect** — the clausal complement of a reporting verb (``X said (that) …``, ``…, X
  said``, ``according to X, …``).

Pronoun speakers ("he added") carry the last speaker who is a person (organisations for
"it"/"they"); other speakers are resolved with the actor knowledge base in the context of
the article (:class:`~eventwatch.actors.context.ArticleActors`). A speaker the knowledge
base does not know keeps its text with null codes. Reporting verbs and person nouns are
package data (``tracking/data/reporting_verbs.tsv``, ``person_nouns.txt``).

:func:`attribute_events` is the coder's hook: an asserted event inside a direct or partial
quote becomes ``reported`` with the quote's speaker as ``attributed_to`` (unless the speaker
is the event's own source).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from eventwatch.model import Actor, Event
from eventwatch.nlp import tree
from eventwatch.tracking.frames import _direct, _indirect, _inside_map, _Pending
from eventwatch.tracking.quotemarks import (
    PRONOUN_SPEAKERS, Quote, person_nouns, quote_spans, reporting_verbs,
)

__all__ = ["Quote", "attribute_events", "find_quotes", "person_nouns", "quote_record", "quote_spans", "reporting_verbs"]

def _as_docs(doc_or_text) -> list[tuple[int, object]]:
    if isinstance(doc_or_text, str):
        from eventwatch import nlp as nlp_mod
        from eventwatch.events.coder import chunks

        nlp = nlp_mod.load()
        return [(start, nlp(text)) for start, text in chunks(doc_or_text)]
    if isinstance(doc_or_text, (list, tuple)):
        return list(doc_or_text)
    return [(0, doc_or_text)]


def find_quotes(doc_or_text, published: str | None = None, dateline: str | None = None,
                indirect: bool = True) -> list[Quote]:
    """Quotes of one article, in text order, with speakers resolved in the article's context."""
    from eventwatch.actors.context import ArticleActors

    docs = _as_docs(doc_or_text)
    pending: list[_Pending] = []
    sent_of: dict[int, int] = {}  # id(sentence start token) → index
    index = 0
    for base, doc in docs:
        for sent in doc.sents:
            sent_of[id(doc), sent.start] = index
            index += 1
    marks: dict[int, tuple[list, dict[int, int]]] = {}  # id(doc) → quotation spans, token → span
    for base, doc in docs:
        spans = quote_spans(tree.text_of(doc))
        inside = _inside_map(doc, spans)
        marks[id(doc)] = spans, inside
        for qi, span in enumerate(spans):
            pending.append(_direct(doc, base, span, qi, spans, inside, sent_of))
        if indirect:
            pending.extend(_indirect(doc, base, spans, inside, sent_of))
    pending.sort(key=lambda p: (p.sent_index, p.quote.start))
    ctx = ArticleActors(date=published, dateline=dateline)
    ctx.scan_locations(docs)  # where the story happens: the country prior for bare agents
    by_sentence: dict[int, list[_Pending]] = {}
    for p in pending:
        by_sentence.setdefault(p.sent_index, []).append(p)
    history: list[tuple[int, Actor, str, str]] = []
    index = 0
    for base, doc in docs:
        inside = marks[id(doc)][1]
        for sent in doc.sents:
            ctx.start_sentence(index)
            ctx.observe_sentence(sent)
            for p in sorted(by_sentence.get(index, []), key=lambda p: p.quote.start):
                _resolve(p, ctx, history, index)
            _note_subject(sent, inside, ctx, base, history, index)
            index += 1
    out = [p.quote for p in pending if p.quote.kind != "partial" or p.quote.speaker is not None
           or len(p.quote.text.split()) > 2]
    return sorted(out, key=lambda q: (q.start, q.kind != "indirect"))


def _actor_for(head, ctx, base: int) -> tuple[Actor, bool]:
    """The actor a (non-pronoun) speaker phrase names, and whether the knowledge base knew it."""
    got = ctx.resolve_one(head)
    s, e = _phrase_span(head)
    if got is None:
        actor = Actor(text=tree.span_text(head.doc, s, e), start=base + s, end=base + e, confidence=0.0,
                      reason="speaker not in the actor knowledge base")
    else:
        actor = _shift(got, base)
        if base + s <= actor.start and actor.end <= base + e:
            actor = replace(actor, text=tree.span_text(head.doc, s, e), start=base + s, end=base + e)
    name = _appositive_name(head)
    if name:
        actor = replace(actor, name=name)
    return actor, got is not None


def _resolve(p: _Pending, ctx, history: list, index: int) -> None:
    """Give ``p.quote`` its speaker. ``history`` holds ``(sentence, actor, person|org, speaker|subject)``:
    earlier speakers (a quote without a cue continues the last one) and sentence subjects
    (a pronoun speaker is the latest person — or organisation, for "it"/"they" — of either)."""
    q = p.quote
    recent = [h for h in history if h[0] >= index - 4]
    if p.carry or p.head is None:
        speakers = [h for h in recent if h[3] == "speaker"]
        if p.carry and speakers and q.kind == "direct":
            prev = speakers[-1][1]
            q.speaker = replace(prev, reason=f"continues the previous quote by {prev.text}")
            q.confidence, q.reason = 0.6, p.how
        else:
            q.confidence, q.reason = 0.0, "no speaker found"
        return
    head = p.head
    low = head.lower_
    if low in PRONOUN_SPEAKERS:
        want = PRONOUN_SPEAKERS[low]
        actor = None
        for _i, a, kind, _src in reversed(recent):
            if kind == want:
                actor = replace(a, reason=f"pronoun '{head.text}' → {a.text}")
                break
        if actor is None:
            got = ctx.resolve_one(head)
            actor = _shift(got, p.base) if got is not None else None
        if actor is None:
            q.confidence, q.reason = 0.0, f"pronoun '{head.text}' without an antecedent"
            return
        conf = 0.75
    else:
        actor, known = _actor_for(head, ctx, p.base)
        conf = 0.9 if known else 0.7
    q.speaker = actor
    q.confidence = round(conf, 3)
    q.reason = p.how
    history.append((index, actor, "person" if _is_person(head, actor) else "org", "speaker"))


def _note_subject(sent, inside: dict[int, int], ctx, base: int, history: list, index: int) -> None:
    """Remember the main subject of a sentence (outside quotes) as a pronoun antecedent."""

    root = sent.root
    subj = tree.first(root, tree.SUBJ | tree.PASSIVE_SUBJ)
    if subj is None or subj.i in inside or subj.lower_ in PRONOUN_SPEAKERS or subj.pos_ == "PRON":
        return
    if not (subj.pos_ in ("PROPN", "NOUN") and (subj.ent_type_ or subj.lemma_.lower() in person_nouns()
                                                 or subj.pos_ == "PROPN")):
        return
    actor, _known = _actor_for(subj, ctx, base)
    history.append((index, actor, "person" if _is_person(subj, actor) else "org", "subject"))


_PHRASE_STOP = {"relcl", "acl", "appos", "conj", "cc", "advcl", "parataxis", "prep"}


def _phrase_span(head) -> tuple[int, int]:
    """The speaker's noun phrase: the head with its modifiers and ``of``/``for`` phrases
    ("chief of staff Oksana Hrytsenko", "International Organization for Migration"),
    without appositions, relative clauses or conjuncts."""
    keep = [head]
    stack = list(head.children)
    while stack:
        c = stack.pop()
        if c.dep_ in _PHRASE_STOP and not (c.dep_ == "prep" and c.lower_ in ("of", "for") and c.head.i == head.i):
            continue
        if c.is_punct and c.text not in ("-", "'", "’", "'s", "’s"):
            continue
        keep.append(c)
        stack.extend(c.children)
    keep.sort(key=lambda t: t.i)
    run = [head]  # the contiguous run around the head
    by_i = {t.i: t for t in keep}
    i = head.i - 1
    while i in by_i:
        run.insert(0, by_i[i])
        i -= 1
    i = head.i + 1
    while i in by_i:
        run.append(by_i[i])
        i += 1
    return run[0].idx, run[-1].idx + len(run[-1])


def _is_person(head, actor: Actor) -> bool:
    if head.ent_type_ == "PERSON" or "person" in (actor.reason or ""):
        return True
    if head.lower_ in ("he", "she"):
        return True
    return head.lemma_.lower() in person_nouns()


def _appositive_name(head) -> str | None:
    for c in head.children:
        if c.dep_ == "appos" and c.ent_type_ == "PERSON":
            toks = [t for t in c.subtree if t.ent_type_ == "PERSON"]
            if toks:
                return tree.span_text(head.doc, toks[0].idx, toks[-1].idx + len(toks[-1]))
    return None


def _shift(a: Actor, base: int) -> Actor:
    if base == 0:
        return a
    return replace(a, start=a.start + base, end=a.end + base)


def attribute_events(events: Sequence[Event], quotes: Iterable[Quote]) -> list[Event]:
    """Asserted events whose trigger lies inside a direct or partial quote become ``reported``,
    attributed to the quote's speaker — unless the speaker is the event's own source."""
    spans = [q for q in quotes if q.kind in ("direct", "partial") and q.speaker is not None]
    if not spans:
        return list(events)
    out = []
    for e in events:
        q = next((q for q in spans if q.start <= e.trigger_start < q.end), None)
        if q is not None and e.modality == "asserted" and e.attributed_to is None and not _same(q.speaker, e.source):
            sp = q.speaker
            e = replace(e, modality="reported", attributed_to=Actor(
                text=sp.text, start=sp.start, end=sp.end, code=sp.code, country=sp.country, sector=sp.sector,
                name=sp.name, confidence=sp.confidence, reason="speaker of the quote: " + (q.reason or "")))
        out.append(e)
    return out


def _same(a: Actor | None, b: Actor | None) -> bool:
    if a is None or b is None:
        return False
    if a.code and b.code:
        return a.code == b.code
    return a.text.lower() == b.text.lower()


def quote_record(r: dict) -> dict:
    """The public quote record (docs/tracking.md)."""
    speaker = None
    if r["speaker_text"] is not None or r["speaker_code"] is not None:
        speaker = {"text": r["speaker_text"], "code": r["speaker_code"], "country": r["speaker_country"],
                   "sector": r["speaker_sector"], "name": r["speaker_name"], "start": r["speaker_start"],
                   "end": r["speaker_end"], "confidence": r["speaker_confidence"], "reason": r["speaker_reason"]}
    rec = {
        "id": r["id"], "article_id": r["article_id"], "start": r["start"], "end": r["end"], "text": r["text"],
        "kind": r["kind"], "speaker": speaker,
        "cue": {"text": r["cue_text"], "start": r["cue_start"], "end": r["cue_end"]} if r["cue_text"] else None,
        "sentence_index": r["sentence_index"], "paragraphs": r["paragraphs"], "closed": bool(r["closed"]),
        "confidence": r["confidence"], "reason": r["reason"],
    }
    for k in ("published", "outlet", "url", "title"):
        if k in r:
            rec[k] = r[k]
    return rec
