"""Grammar of agreement mentions over the dependency parse (spaCy, ClearNLP labels): the
agreement nouns of a doc, how the sentence acts on a mention (subject of "broke down", object
of "violated", "collapse of …", "truce violations", "is over"), accusations that frame a breach,
and whether a cue is only demanded ("must respect the ceasefire")."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from eventwatch.nlp import tree
from eventwatch.tracking import lexicon

if TYPE_CHECKING:
    from eventwatch.tracking.mentions import Mention

# --- parse helpers ---------------------------------------------------------------------
def matches(doc) -> list[tuple]:
    """Agreement nouns in a doc as ``(head token, term, type, start, end)``; a ceasefire noun that modifies
    or completes an agreement noun ("ceasefire agreement", "agreement for a ceasefire") makes
    one ceasefire mention headed by the agreement noun."""
    text = tree.text_of(doc)
    found = []
    for mt in lexicon.term_regex().finditer(text):
        if any(rx.search(text, max(0, mt.start() - 12), min(len(text), mt.end() + 12)) and
               _covers(rx, text, mt) for rx in lexicon.excludes()):
            continue
        span = doc.char_span(mt.start(), mt.end(), alignment_mode="expand")
        got = lexicon.term_type(mt.group(0))
        if span is None or got is None:
            continue
        head = span.root
        if head.pos_ not in ("NOUN", "PROPN"):
            continue
        found.append([head, got[0], got[1], span.start_char, span.end_char])
    by_i = {h.i: x for x in found for h in [x[0]]}
    drop = set()
    for x in found:
        h, typ = x[0], x[2]
        if typ != "ceasefire":
            continue
        gov = h.head
        if h.dep_ == "pobj" and gov.lower_ in ("for", "on", "of") and gov.head.i in by_i:
            gov = gov.head
        elif h.dep_ not in ("compound", "amod", "nmod"):
            continue
        outer = by_i.get(gov.i)
        if outer is not None and outer[2] == "agreement":
            outer[1], outer[2] = x[1], "ceasefire"
            outer[3], outer[4] = min(outer[3], x[3]), max(outer[4], x[4])
            drop.add(h.i)
    return [tuple(x) for x in found if x[0].i not in drop]


def _covers(rx, text: str, mt) -> bool:
    for hit in rx.finditer(text, max(0, mt.start() - 12), min(len(text), mt.end() + 12)):
        if hit.start() <= mt.start() < hit.end() or mt.start() <= hit.start() < mt.end():
            return True
    return False


def governing_verb(head):
    t = head
    if t.dep_ == "pobj" and t.head.dep_ in ("prep", "agent"):
        t = t.head
    if t.head.i != t.i and t.head.pos_ in ("VERB", "AUX"):
        return t.head
    return None


def relations(head):
    """``(relation, cue token, lookup keys)`` for the ways the sentence acts on the mention."""
    out = []
    dep, gov = head.dep_, head.head
    if dep == "conj":  # "the truce and the agreement were violated": as the first conjunct
        first = head
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head
        dep, gov = first.dep_, first.head
    if gov.i == head.i:
        return out
    lemma = gov.lemma_.lower()
    prts = [c.lower_ for c in gov.children if c.dep_ == "prt"]
    if dep == "nsubj":
        if lemma == "be":
            for c in gov.children:
                if c.dep_ in ("acomp", "advmod", "attr"):
                    out.append(("be", c, [c.lower_]))
                elif c.dep_ == "prep":
                    objs = [g.lower_ for g in c.children if g.dep_ == "pobj"]
                    out.append(("be", c, [f"{c.lower_} {o}" for o in objs]))
            return out
        keys = [f"{lemma} {p}" for p in prts]
        keys += [f"{lemma} {o.lemma_.lower()}" for o in tree.children(gov, tree.OBJ)]
        for prep, obj in tree.prep_objects(gov):
            keys.append(f"{lemma} {prep} {obj.lemma_.lower()}")
        out.append(("subj", gov, keys + [lemma]))
    elif dep == "nsubjpass":
        out.append(("pass", gov, [f"{lemma} {p}" for p in prts] + [lemma]))
    elif dep in ("dobj", "obj"):
        out.append(("obj", gov, [f"{lemma} {p}" for p in prts] + [lemma]))
    elif dep == "pobj" and gov.dep_ in ("prep", "agent"):
        verb = gov.head
        vl = verb.lemma_.lower()
        if verb.pos_ in ("VERB", "AUX"):
            vprts = [c.lower_ for c in verb.children if c.dep_ == "prt"]
            out.append((f"prep:{gov.lower_}", verb, [f"{vl} {p}" for p in vprts] + [vl]))
        elif verb.pos_ in ("NOUN", "PROPN") and gov.lower_ in ("of", "on", "about", "for", "over"):
            out.append(("of", verb, [vl, verb.lower_]))
    elif dep in ("compound", "amod", "nmod") and gov.pos_ in ("NOUN", "PROPN"):
        out.append(("compound", gov, [lemma, gov.lower_]))
    return out


def is_nominal_cue(cue_tok, m: Mention) -> bool:
    """A nominal cue ("the collapse of the truce", "truce violations") refers to a change
    without dating it: its date is only "by publication"."""
    return cue_tok.pos_ in ("NOUN", "PROPN") and m.type != "talks"


DEMAND_HEADS = {"make", "force", "urge", "ask", "want", "need", "call", "press", "demand", "push"}
DEMAND_AUX = {"must", "should", "ought", "need"}


def demanded(tok) -> bool:
    node = tok
    for _ in range(3):
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in DEMAND_AUX for c in node.children):
            return True
        if node.head.i == node.i:
            return False
        if node.dep_ in ("ccomp", "xcomp") and node.head.lemma_.lower() in DEMAND_HEADS:
            return True
        node = node.head
    return False


def expand_breaches(m: Mention) -> None:
    """One breach state per accused ("accusations against the army and its allies")."""
    extra = [replace(st, accused=o, others=[]) for st in m.states for o in st.others]
    for st in m.states:
        st.others = []
    m.states.extend(extra)


def own_clause(tok) -> set[int]:
    """Token indices of a verb's own clause: its subtree without coordinated, adverbial or
    parenthetical clauses ("…, while Russia's envoy accused Washington of …")."""
    skip = set()
    for c in tok.children:
        if c.dep_ in ("advcl", "conj", "parataxis") and c.pos_ in ("VERB", "AUX"):
            skip.update(x.i for x in c.subtree)
    return {x.i for x in tok.subtree} - skip


def accusation_frame(tok):
    """``(accusing token, accused token, accuser token)`` when an accusation frames ``tok``:
    "accused X of violating", "blaming X for violations", "accusations against X for breaching"."""
    words = lexicon.accuse_words()
    sent = tree.sent_of(tok)
    for a in tok.ancestors:
        if tree.sent_of(a).start != sent.start:
            break
        kind = "verb" if a.pos_ == "VERB" else "noun" if a.pos_ == "NOUN" else None
        if kind and a.lemma_.lower() in words.get(kind, ()):
            return a, _accused_of(a), _accuser_of(a)
    before = [t for t in sent if t.i < tok.i and t.lemma_.lower() in words.get("noun", ()) | words.get("verb", ())]
    if before:
        a = before[-1]
        return a, _accused_of(a), _accuser_of(a)
    return None


def _accused_of(a):
    objs = tree.children(a, tree.OBJ)
    if objs:
        return objs[0]
    for prep, obj in tree.prep_objects(a):
        if prep == "against":
            return obj
    return None


def _accuser_of(a):
    if a.pos_ == "NOUN":
        return next((c for c in a.children if c.dep_ == "poss"), None)
    subj = tree.clause_subject(a)
    node = a
    while (subj is None or lexicon.term_type(subj.text)) and node.head.i != node.i:
        node = node.head  # "declared that the truce was over, blaming …": the declarer
        if node.pos_ in ("VERB", "AUX"):
            subj = tree.first(node, tree.SUBJ)
    if subj is not None and lexicon.term_type(subj.text):
        return None
    return subj


def token_at(sent, char: int):
    for t in sent:
        if t.idx == char:
            return t
    return None
