"""Where quotes are and who frames them, over the dependency parse (spaCy, ClearNLP labels).

For each quotation-mark span: whole (direct) or inside a clause (partial), and its cue —
the reporting verb after the quote, before it, or in a preceding ``X said:``. For indirect
speech: the clausal complement of a reporting verb, a postposed frame ("…, officials said")
or ``according to X``. The speaker head token is found here; :mod:`eventwatch.tracking.quotes`
resolves it to an actor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eventwatch.nlp import tree
from eventwatch.tracking.quotemarks import (
    MARKS, RELATIVE, TERMINAL, Quote, _cue, reporting_verbs,
)

@dataclass
class _Pending:
    quote: Quote
    base: int
    head: object = None  # speaker head token
    sent_index: int = 0  # sentence where the speaker is resolved
    how: str = ""
    carry: bool = False  # no cue: continue the previous speaker


def _inside_map(doc, spans) -> dict[int, int]:
    """token index → index of the quotation-mark span whose words contain it."""
    out: dict[int, int] = {}
    if not spans:
        return out
    j = 0
    for t in doc:
        while j < len(spans) and spans[j][1] <= t.idx:
            j += 1
        if j < len(spans) and spans[j][0] <= t.idx < spans[j][1]:
            out[t.i] = j
    return out


def _tok_at(doc, char: int):
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _frame(doc, start_tok: int, step: int, inside: dict[int, int]) -> list:
    """Tokens outside quotes from ``start_tok`` in direction ``step`` up to a sentence end
    outside quotes, another quotation mark or a paragraph break."""
    out = []
    i = start_tok
    while 0 <= i < len(doc):
        t = doc[i]
        if "\n" in t.text or t.text in MARKS or i in inside:
            break
        if t.text in TERMINAL and t.i not in inside:
            if step > 0:
                out.append(t)
            break
        out.append(t)
        i += step
    return out if step > 0 else out[::-1]


def _direct(doc, base, span, qi, spans, inside, sent_of) -> _Pending:
    cs, ce, om, cm, paras = span
    text = tree.span_text(doc, cs, ce)
    q = Quote(start=base + cs, end=base + ce, text=text, kind="direct", paragraphs=paras, closed=cm is not None)
    first = _tok_at(doc, cs)
    last = _tok_at(doc, ce - 1)
    om_tok = _tok_at(doc, om)
    lead = _frame(doc, om_tok.i - 1, -1, inside) if om_tok is not None else []
    trail = []
    if cm is not None:
        cm_tok = _tok_at(doc, cm)
        ends_sentence = text.rstrip()[-1:] in (".",) and not tree.span_text(doc, cm + 1, cm + 3).strip()[:1].islower()
        if cm_tok is not None and not ends_sentence:
            trail = _frame(doc, cm_tok.i + 1, 1, inside)
    lead_words = [t for t in lead if not t.is_punct and not t.is_space]
    lead_end = lead[-1].text if lead else ""
    q.sentence_index = sent_of.get((id(doc), tree.sent_of(first).start), 0) if first is not None else 0
    if lead_words and lead_end not in (":", ",") and first is not None:
        q.kind = "partial"
        return _partial(doc, base, q, first, last, cs, ce, sent_of)
    p = _Pending(q, base, sent_index=q.sentence_index)
    for toks, pick in ((trail, 0), (lead, -1)):
        cues = [t for t in toks if _cue(t, "direct")]
        if cues:
            v = cues[pick]
            p.head = _speaker_head(v, toks)
            _set_cue(q, base, v)
            p.sent_index = sent_of.get((id(doc), tree.sent_of(v).start), q.sentence_index)
            p.how = "cue after the quote" if pick == 0 else "cue before the quote"
            if p.head is not None:
                return p
    if om_tok is not None and not lead_words:  # "X said:" ending the previous paragraph
        prev = _frame(doc, _skip_space(doc, om_tok.i - 1), -1, inside)
        if prev and prev[-1].text == ":":
            cues = [t for t in prev if _cue(t, "direct")]
            if cues:
                p.head = _speaker_head(cues[-1])
                _set_cue(q, base, cues[-1])
                p.sent_index = sent_of.get((id(doc), tree.sent_of(cues[-1]).start), q.sentence_index)
                p.how = "introduced by a preceding 'said:'"
                return p
    p.carry = True
    p.how = "continues the previous quote"
    return p


def _skip_space(doc, i: int) -> int:
    while i >= 0 and (doc[i].is_space or "\n" in doc[i].text):
        i -= 1
    return i


def _partial(doc, base, q: Quote, first, last, cs, ce, sent_of) -> _Pending:
    p = _Pending(q, base, sent_index=q.sentence_index, how="partial quote")
    governor = None
    for a in [first, *first.ancestors]:
        if cs <= a.idx < ce:
            continue
        if tree.sent_of(a).start != tree.sent_of(first).start:
            break
        direct_only = reporting_verbs().get(a.lemma_.lower()) == "direct"
        if direct_only and not any(x.i == first.i or first in x.subtree for x in a.children if x.dep_ in ("dobj", "obj")):
            continue  # "asked for access": not framing the quote
        if a.pos_ in ("VERB", "AUX") and _cue(a, "direct") and p.head is None:
            p.head = _speaker_head(a)
            if p.head is not None:
                _set_cue(q, base, a)
                p.how = "partial quote under a reporting verb"
                break
        if governor is None and a.pos_ in ("VERB", "AUX"):
            governor = a
    if p.head is None and governor is not None:
        p.head = tree.clause_subject(governor)
        p.how = "partial quote: subject of the governing verb"
    return p


def _indirect(doc, base, spans, inside, sent_of) -> list[_Pending]:
    out = []
    for t in doc:
        if t.i in inside:
            continue
        content = None
        head = None
        if _cue(t, "indirect"):
            comps = [c for c in t.children if c.dep_ == "ccomp"] or [
                c for c in t.children if c.dep_ in ("dep", "dobj") and c.i != t.i and c.pos_ in ("VERB", "AUX")
                or c.dep_ == "dep" and c.i < t.i and any(x.pos_ in ("VERB", "AUX") for x in c.subtree)
            ] or _misattached_that(t)
            if comps:
                content = [g for c in comps for g in c.subtree]
            elif _postposed(t):  # "S, officials said." (parataxis, or a misparsed conjunct)
                first = min(x.i for x in t.subtree)
                content = [x for x in tree.sent_of(t) if x.i < first]
            if content and max(x.i for x in content) < t.i and any(
                x.i != t.i and _cue(x, "indirect") and any(c.dep_ == "ccomp" for c in x.children) for x in content
            ):
                content = None  # the material before is itself a report ("X said …, he added")
            if content is not None:
                head = _speaker_head(t)
        elif t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            objs = [g for g in doc[t.i + 1].children if g.dep_ == "pobj"]
            if objs and t.head.i != t.i:
                own = set(x.i for x in t.subtree)
                top = t.head
                while top.head.i != top.i and top.dep_ not in ("ROOT",):
                    top = top.head
                content = [g for g in top.subtree if g.i not in own]
                head = objs[0]
        if not content:
            continue
        toks = sorted(content, key=lambda x: x.i)
        toks = [x for x in toks if tree.sent_of(x).start == tree.sent_of(t).start]
        while toks and (toks[0].is_punct or toks[0].is_space
                        or (toks[0].lower_ in RELATIVE and len(toks) > 3)):
            toks = toks[1:]
        while toks and (toks[-1].is_punct or toks[-1].is_space) and toks[-1].text not in MARKS:
            toks = toks[:-1]
        if len(toks) < 3 or not any(x.pos_ in ("VERB", "AUX") for x in toks):
            continue
        s, e = toks[0].idx, toks[-1].idx + len(toks[-1])
        if toks[-1].text in MARKS and s < toks[-1].idx:
            e = toks[-1].idx + len(toks[-1])
        quoted = sum(1 for x in toks if x.i in inside)
        if toks[0].i in inside or (toks[0].text in MARKS and quoted >= 0.5 * len(toks)):
            continue  # the complement is a direct quote: the direct record covers it
        q = Quote(start=base + s, end=base + e, text=tree.span_text(doc, s, e), kind="indirect",
                  sentence_index=sent_of.get((id(doc), tree.sent_of(t).start), 0))
        if t.lower_ != "according":
            _set_cue(q, base, t)
        else:
            q.cue, q.cue_start, q.cue_end = "according to", base + t.idx, base + doc[t.i + 1].idx + 2
        out.append(_Pending(q, base, head=head, sent_index=q.sentence_index, how="indirect speech"))
    return out


def _postposed(v) -> bool:
    """A reporting frame after its content: "…, the department said" (parataxis), or a
    conjunct with its own subject after a comma ("…, a resident told Regional Roundup")."""
    if v.head.i == v.i:
        return False
    if v.dep_ == "parataxis":
        return True
    if v.head.i > v.i:
        return False
    subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if v.dep_ != "conj" or subj is None or subj.i > v.i:
        return False
    left = min(x.i for x in v.subtree)
    return left > 0 and v.doc[left - 1].text == ","


def _misattached_that(v) -> list:
    """"said in a statement that …": a that-clause the parser hung on the statement noun."""
    for prep in (c for c in v.children if c.dep_ == "prep"):
        for x in prep.subtree:
            if x.dep_ in ("relcl", "acl") and any(m.dep_ == "mark" and m.lower_ == "that" for m in x.children):
                return [x]
    return []


def _set_cue(q: Quote, base: int, v) -> None:
    q.cue, q.cue_start, q.cue_end = v.text, base + v.idx, base + v.idx + len(v)


def _speaker_head(v, frame: Sequence = ()):
    """The speaker of a reporting verb: its subject (also inverted: "said one resident"),
    the subject it inherits (conjunction, control: "prompting France to warn"), the speaker
    of the frame a participle continues ("X said …, noting that …"), the object of "quoted
    X as saying", else the nearest name or noun of the quote's frame before the verb."""
    subj = tree.first(v, tree.SUBJ)
    if subj is None and tree.is_passive(v):
        return None
    if subj is None and v.tag_ == "VBG" and v.dep_ in ("advcl", "conj"):
        for a in v.ancestors:
            if a.dep_ == "ccomp" and _cue(a.head, "indirect"):
                return _speaker_head(a.head)
    if subj is None and v.dep_ == "xcomp":
        objs = tree.children(v.head, tree.OBJ)
        if objs:
            return objs[0]
    if subj is None and frame:
        before = [t for t in frame if t.i < v.i and t.pos_ in ("NOUN", "PROPN")]
        names = [t for t in before if t.ent_type_ == "PERSON"]
        if names or before:
            return (names or before)[-1]
    if subj is None:
        if v.dep_ in ("pcomp", "pobj") and v.head.lower_ == "as" and v.head.head.lemma_.lower() in ("quote", "cite"):
            objs = tree.children(v.head.head, tree.OBJ)
            return objs[0] if objs else None
        subj = tree.clause_subject(v)
    if subj is None and v.i > 0 and v.doc[v.i - 1].pos_ in ("NOUN", "PROPN"):
        subj = v.doc[v.i - 1]  # a misparsed subject right before the verb ("…, residents said")
    if subj is not None and subj.lower_ in RELATIVE and v.dep_ == "relcl":
        return v.head
    return subj
