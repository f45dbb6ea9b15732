"""Match lexicon patterns against a trigger token in a dependency parse."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from eventwatch.events.lexicon import ANY, Lexicon, Pattern
from eventwatch.nlp import tree

# Light verbs that take an event noun as object: "carried out airstrikes on", "held talks with".
LIGHT_VERBS = {
    "carry", "launch", "conduct", "stage", "hold", "make", "level", "issue", "mount", "deliver", "wage",
    "step", "begin", "start", "continue", "resume", "intensify", "escalate", "renew", "unleash", "order",
    "announce", "sign", "reach", "strike", "seal", "broker", "hammer", "lodge", "file", "impose",
    "slap", "extend", "offer", "provide", "send", "give", "host", "open", "join", "declare", "perform",
    "undertake", "speed", "accelerate", "pursue", "complete", "hold",
}
# Verbs that undo, deny or only ask for what their object names: "sanctions were lifted" is not a
# sanction, "called for talks" is not talks. (Verbs that report it — condemn, investigate — are not here.)
UNDOING_VERBS = {
    "lift", "end", "cancel", "suspend", "halt", "drop", "ease", "scrap", "revoke", "reject", "deny",
    "oppose", "fail", "avoid", "prevent", "stop", "cease", "withdraw", "abandon", "postpone", "delay",
    "rule", "dismiss", "call", "demand", "urge", "threaten", "warn", "fear", "seek", "propose", "plan",
}


@dataclass(slots=True)
class Match:
    pattern: Pattern
    trigger: Token
    target_tokens: list[Token]
    nested: list[Token]  # gerunds that are nested claims


def pos_of(t: Token) -> str | None:
    if t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB"):
        return "verb"
    if t.pos_ in ("NOUN", "PROPN"):
        return "noun"
    if t.pos_ == "ADJ":
        return "adj"
    return None


def _in(tok: Token | None, allowed: frozenset | None) -> bool:
    """Whether a token (or, through a partitive, what it measures) is in an allowed set."""
    if allowed is None:
        return True
    if tok is None:
        return False
    if allowed is ANY:
        return True
    if tok.lemma_.lower() in allowed or tok.lower_ in allowed:
        return True
    if tok.tag_.startswith("VB") and any(x in allowed for x in tree.lemmas(tok)):
        return True
    inner = tree.partitive(tok)
    return inner is not None and (inner.lemma_.lower() in allowed or inner.lower_ in allowed)


def _is_date(tok: Token) -> bool:
    return tok.ent_type_ in ("DATE", "TIME")


def _preps(t: Token) -> list[tuple[str, Token]]:
    """Prepositional phrases of a trigger, including common misattachments of the parser."""
    found = list(tree.prep_objects(t))
    if t.pos_ in ("NOUN", "PROPN") and not t.tag_.startswith("VB"):
        # "their airstrikes on the Syrian Army" parsed with "on" under the verb: adjacency wins.
        nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
        if nxt is not None and nxt.dep_ == "prep" and nxt.head.i != t.i and nxt.head.i < t.i:
            found.extend((p, o) for p, o in tree.prep_objects(nxt.head) if p == nxt.lower_)
        return found
    # "accused the rebels on Monday of looting": the of-phrase hangs on the date or the object.
    for c in t.children:
        if c.dep_ in ("prep", "npadvmod") and c.ent_type_ in ("DATE", "TIME") or c.dep_ in tree.OBJ:
            found.extend((p, o) for p, o in tree.prep_objects(c) if p in ("of", "for", "at", "with", "on", "against"))
        elif c.dep_ == "prep":
            for g in c.children:
                if g.dep_ == "pobj" and g.ent_type_ in ("DATE", "TIME"):
                    found.extend((p, o) for p, o in tree.prep_objects(g) if p in ("of", "for"))
    return found


def check(p: Pattern, t: Token, source_head: Token | None) -> Match | None:
    """Return a Match when every constraint of ``p`` holds for trigger ``t``."""
    negated = tree.negated(t)
    if p.neg is not None and p.neg != negated:
        return None
    objs = tree.objects(t) if p.pos == "verb" else []
    if p.obj is not None:
        if not objs or not any(_in(o, p.obj) for o in objs):
            return None
    preps = [(pp, o) for pp, o in _preps(t) if not _is_date(o)]  # "on April 17" is a date, not a target
    for prep, allowed in p.preps:
        # A bare "prep:on" wants a thing ("insisted on the release"), not an action
        # ("insisted on blaming": the blaming is the event); gerunds count only when listed.
        if not any(pp in prep and (_in(o, allowed) if allowed else o.tag_ != "VBG") for pp, o in preps):
            return None
    if p.prt and p.prt not in tree.particles(t):
        return None
    if p.xcomp is not None:
        comps = [c for c in t.children if c.dep_ in ("xcomp", "ccomp", "oprd", "acomp") and c.pos_ in ("VERB", "AUX", "NOUN", "ADJ")]
        comps += [o for pp, o in preps if o.tag_ == "VBG"]
        if not any(_in(c, p.xcomp) for c in comps):
            return None
    if p.src is not None and not _in(source_head, p.src):
        return None
    if p.mod is not None and not any(
        c.dep_ in ("amod", "compound", "nmod", "poss", "npadvmod", "advmod") and _in(c, p.mod) for c in t.children
    ):
        return None
    if p.objmod is not None and not any(
        c.dep_ in ("amod", "compound", "nmod") and _in(c, p.objmod)
        for o in objs for c in (tree.partitive(o) or o).children
    ):
        return None
    return Match(p, t, _targets(p, t, objs, preps), _nested(p, preps))


def _targets(p: Pattern, t: Token, objs: list[Token], preps: list[tuple[str, Token]]) -> list[Token]:
    for slot in p.tgt:
        if slot == "none":
            return []
        if slot == "obj":
            cands = [o for o in objs if not (p.obj and p.obj is not ANY and _in(o, p.obj))]
            cands = [o for o in cands if (o.pos_ in ("NOUN", "PROPN", "PRON") or o.ent_type_) and not _is_date(o)]
            if cands:
                return cands[:1]
        elif slot == "iobj":
            found = [o for pp, o in preps if pp == "iobj"]
            if found:
                return found[:1]
        else:
            found = [o for pp, o in preps if pp == slot and o.tag_ != "VBG"]
            found = [o for o in found if not (p.preps and any(slot in pp and a and _in(o, a) for pp, a in p.preps))]
            if found:
                return found[:1]
    return []


def _nested(p: Pattern, preps: list[tuple[str, Token]]) -> list[Token]:
    if not p.nest:
        return []
    return [o for pp, o in preps if pp in p.nest and o.tag_ == "VBG" or (pp in p.nest and o.pos_ == "VERB")]


def match_token(lex: Lexicon, t: Token, source_head: Token | None) -> Match | None:
    """The most specific pattern for ``t`` whose constraints hold (discard patterns included)."""
    pos = pos_of(t)
    if pos is None:
        return None
    candidates = []
    for lemma in tree.lemmas(t):
        candidates = lex.for_token(lemma, pos)
        if not candidates and pos != "verb" and t.tag_.startswith("VB"):
            candidates = lex.for_token(lemma, "verb")
        if candidates:
            break
    for p in candidates:
        m = check(p, t, source_head)
        if m is not None:
            return m
    return None


def is_light_verb(t: Token) -> bool:
    return any(x in LIGHT_VERBS for x in tree.lemmas(t))


def is_undoing_verb(t: Token) -> bool:
    return any(x in UNDOING_VERBS for x in tree.lemmas(t))
