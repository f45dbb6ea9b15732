"""Dependency-tree helpers over spaCy tokens (English, ClearNLP labels as in en_core_web_sm)."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

SUBJ = {"nsubj", "csubj"}
PASSIVE_SUBJ = {"nsubjpass", "csubjpass"}
OBJ = {"dobj", "obj"}
NP_LEFT = {"det", "amod", "compound", "nmod", "poss", "nummod", "quantmod", "npadvmod", "case", "predet", "flat", "advmod"}
# Verbs whose object is the understood subject of their infinitive: "urged Iran to stop".
OBJECT_CONTROL = {
    "urge", "order", "ask", "tell", "force", "persuade", "invite", "allow", "help", "encourage", "call",
    "press", "pressure", "push", "require", "compel", "instruct", "advise", "warn", "permit", "enable",
    "authorize", "authorise", "request", "appeal", "beg", "direct", "command", "convince", "get",
}
PRONOUNS = {"he", "she", "him", "her", "his", "hers", "it", "its", "they", "them", "their", "theirs",
            "we", "us", "our", "i", "me", "my", "you", "your", "who", "whom", "which", "that", "this", "these", "those"}


def lemmas(t: Token) -> tuple[str, ...]:
    """The token's lemma, then forms the lemmatizer may have missed ("staged" → "stag" is
    spaCy's lemma; "stage" is the verb): tried in order by lexicon lookups."""
    out = [t.lemma_.lower()]
    low = t.lower_
    if t.tag_.startswith("VB"):
        if low.endswith("ed"):
            out += [low[:-1], low[:-2]]
        elif low.endswith("ing"):
            out += [low[:-3] + "e", low[:-3]]
        elif low.endswith("es"):
            out += [low[:-1], low[:-2]]
        elif low.endswith("s"):
            out.append(low[:-1])
    elif t.tag_ in ("NNS", "NNPS") and low.endswith("s"):
        out.append(low[:-1])
    out.append(low)
    return tuple(dict.fromkeys(out))


def is_verb(t: Token) -> bool:
    return t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB")


def is_passive(t: Token) -> bool:
    return any(c.dep_ in PASSIVE_SUBJ or c.dep_ == "auxpass" for c in t.children)


def children(t: Token, deps: set[str] | str) -> list[Token]:
    deps = {deps} if isinstance(deps, str) else deps
    return [c for c in t.children if c.dep_ in deps]


def first(t: Token, deps: set[str] | str) -> Token | None:
    found = children(t, deps)
    return found[0] if found else None


def conjuncts(t: Token) -> list[Token]:
    """The token and the tokens coordinated with it ("the US and Russia").

    A "conjunct" directly followed by a finite verb that has no subject of its own is
    really that verb's subject ("shelled Homs and Ankara said …") and is left out.
    """
    out = [t]
    for c in t.conjuncts:
        if c in out or not (c.pos_ in ("NOUN", "PROPN", "PRON") or c.ent_type_):
            continue
        if subject_of_next_verb(c):
            continue
        out.append(c)
    return out


def subject_of_next_verb(c: Token) -> bool:
    if c.i + 1 >= len(c.doc):
        return False
    nxt = c.doc[c.i + 1]
    return nxt.tag_ in ("VBD", "VBZ", "VBP") and nxt.dep_ in ("conj", "ROOT") and first(nxt, SUBJ) is None


def prep_objects(t: Token) -> Iterator[tuple[str, Token]]:
    """``(preposition, object)`` pairs hanging off a token, including ``by`` agents and datives."""
    for c in t.children:
        if c.dep_ in ("prep", "agent", "dative") and c.pos_ in ("ADP", "SCONJ", "ADV", "PART") or c.dep_ == "agent":
            prep = c.lower_
            for g in c.children:
                if g.dep_ in ("pobj", "pcomp", "obj"):
                    yield prep, g
                elif g.dep_ == "prep" and g.pos_ == "ADP":  # "away from", "out of"
                    for gg in g.children:
                        if gg.dep_ in ("pobj", "pcomp"):
                            yield f"{prep} {g.lower_}", gg
        elif c.dep_ == "dative" and c.pos_ in ("NOUN", "PROPN", "PRON"):
            yield "iobj", c


# Heads that measure or select from what follows "of": "700 kg of medicine", "some of its troops",
# "tens of thousands of students", "part of a military aid program".
PARTITIVE_HEADS = {
    "tens", "ten", "hundreds", "hundred", "thousands", "thousand", "millions", "million", "dozens", "dozen",
    "scores", "score", "number", "lot", "lots", "part", "some", "most", "many", "all", "majority", "few",
    "several", "kg", "kilogram", "kilograms", "ton", "tons", "tonne", "tonnes", "litre", "litres", "liter",
    "liters", "day", "days", "week", "weeks", "month", "months", "round", "rounds", "batch", "shipment",
    "consignment", "group", "groups", "crowd", "crowds", "team", "unit", "units", "members", "member",
    "bunch", "wave", "series", "one", "two", "three", "four", "five", "rest", "half", "remainder",
    # event nouns whose of-object is what moves: "allow the return of inspectors"
    "return", "entry", "arrival", "presence", "passage", "delivery", "deliveries",
}


def partitive(t: Token) -> Token | None:
    """The noun a partitive or quantity head stands for ("thousands of protesters" → protesters)."""
    if t.lower_ not in PARTITIVE_HEADS and t.lemma_.lower() not in PARTITIVE_HEADS:
        return None
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                if g.dep_ == "pobj":
                    return partitive(g) or g
    return None


def objects(t: Token) -> list[Token]:
    """Logical objects: direct objects, or the passive subject."""
    objs = children(t, OBJ)
    if not objs and is_passive(t):
        objs = children(t, PASSIVE_SUBJ)
    return objs


def particles(t: Token) -> list[str]:
    return [c.lower_ for c in t.children if c.dep_ == "prt"]


def negated(t: Token) -> bool:
    if any(c.dep_ == "neg" for c in t.children):
        return True
    return t.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "no" for c in t.children)


def speech_nouns() -> frozenset[str]:
    from eventwatch.events.modality import cues

    return cues().get("document_nouns", frozenset())


def clause_subject(t: Token, depth: int = 0) -> Token | None:
    """The understood agent of a verb, following control and coordination.

    nsubj → itself; passive → its ``by`` agent (or None); xcomp → the object of an
    object-control verb ("urged Iran to stop") or the governor's subject; conj,
    advcl, pcomp → the governor's subject; relcl/acl → the noun it modifies.
    """
    if depth > 8:
        return None
    subj = first(t, SUBJ)
    if subj is not None:
        return subj
    if is_passive(t):
        for prep, obj in prep_objects(t):
            if prep == "by":
                return obj
        if first(t, PASSIVE_SUBJ) is not None:
            return None
    head = t.head
    if head.i == t.i:
        return None
    dep = t.dep_
    if t.tag_ == "VBN" and dep in ("advcl", "conj") and not any(c.dep_ in ("aux", "auxpass") for c in t.children):
        return None  # a reduced passive ("if convicted"): the governor's subject is the patient
    if dep == "xcomp":
        objs = children(head, OBJ)
        if objs and head.lemma_ in OBJECT_CONTROL:
            return objs[0]
        return clause_subject(head, depth + 1)
    if dep == "conj" and t.i > 0:
        prev = t.doc[t.i - 1]
        if prev.dep_ == "conj" and prev.pos_ in ("NOUN", "PROPN") and subject_of_next_verb(prev):
            return prev  # "… shelled Homs and Ankara said …": Ankara is the subject of said
    if dep in ("conj", "advcl") or (dep == "acomp" and t.pos_ == "ADJ"):
        return clause_subject(head, depth + 1)  # acomp: "it is prepared to impose …"
    if dep == "pcomp" or (dep == "pobj" and t.tag_ == "VBG"):
        governor = head.head if head.dep_ in ("prep", "agent") else head
        if governor.i != head.i and governor.i != t.i:
            if head.lower_ in ("of", "for") and children(governor, OBJ) and governor.pos_ == "VERB":
                return None  # "accused Russia of attacking": handled as a nested claim
            if governor.pos_ in ("NOUN", "PROPN"):
                return None
            return clause_subject(governor, depth + 1)
    if dep in ("relcl", "acl"):
        if dep == "acl" and t.tag_ == "VBN":
            return None  # "forces backed by Russia": the noun is the object
        if dep == "acl" and head.lemma_.lower() in speech_nouns() and head.dep_ in ("dobj", "pobj", "nsubjpass"):
            # "issued a declaration demanding …": whoever issued it demands.
            return clause_subject(head.head if head.dep_ != "pobj" else head.head.head, depth + 1)
        return head if head.pos_ in ("NOUN", "PROPN", "PRON") else None
    return None


def np_tokens(head: Token) -> list[Token]:
    """The tokens of the noun phrase headed by ``head``, without clauses, appositions or conjuncts.

    Keeps determiners, adjectives, compounds, possessors and names on the left, and a
    right-hand ``of``-phrase naming a country or organisation ("the foreign minister of Russia").
    """
    keep = {head}

    def add_left(t: Token) -> None:
        for c in t.lefts:
            if c.dep_ in NP_LEFT or (c.dep_ == "punct" and c.text in ("'", "’", "-")):
                keep.add(c)
                for g in c.subtree:
                    if g.dep_ not in ("relcl", "acl", "appos", "conj", "cc", "punct") or g.text in ("'", "’", "-"):
                        keep.add(g)

    add_left(head)
    # A parenthetical inside the phrase ("the Hizbollah (Party of God) group") stays in it.
    for t in list(keep):
        for c in t.children:
            if c.dep_ == "appos" and c.i > 0 and c.doc[c.left_edge.i - 1].text == "(" and c.i < head.i:
                keep.update(c.subtree)
                keep.add(c.doc[c.left_edge.i - 1])
                if c.right_edge.i + 1 < len(c.doc) and c.doc[c.right_edge.i + 1].text == ")":
                    keep.add(c.doc[c.right_edge.i + 1])
    for c in head.rights:
        if c.dep_ in ("compound", "flat", "case", "nummod") or (c.dep_ == "punct" and c.text in ("'s", "’s")):
            keep.add(c)
        elif c.dep_ == "prep" and c.lower_ == "of":
            pobj = first(c, "pobj")
            if pobj is not None and (pobj.ent_type_ in ("GPE", "NORP", "ORG") or pobj.pos_ == "PROPN"):
                keep.add(c)
                keep.update(np_tokens(pobj))
    toks = sorted(keep, key=lambda x: x.i)
    # Keep only the contiguous run that contains the head.
    start = end = toks.index(head)
    while start > 0 and toks[start - 1].i == toks[start].i - 1:
        start -= 1
    while end < len(toks) - 1 and toks[end + 1].i == toks[end].i + 1:
        end += 1
    run = toks[start : end + 1]
    while run and run[0].dep_ in ("cc", "punct", "case", "prep"):
        run = run[1:]
    return run or [head]


def span_of(tokens: list[Token]) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def sent_of(t: Token) -> Span:
    """``t.sent`` without its cost: spaCy walks the document on every ``Token.sent``; this keeps a
    token → sentence table on the doc (built once)."""
    doc = t.doc
    table = doc.user_data.get("_eventwatch_sents")
    if table is None:
        spans = list(doc.sents)
        index = [0] * len(doc)
        for k, sp in enumerate(spans):
            for i in range(sp.start, sp.end):
                index[i] = k
        table = doc.user_data["_eventwatch_sents"] = (spans, index)
    spans, index = table
    return spans[index[t.i]]


def sent_ents(sent: Span) -> list[Span]:
    """``sent.ents`` without its cost: spaCy rebuilds the document's entity list on every call;
    this keeps the entities grouped by sentence on the doc (built once)."""
    doc = sent.doc
    table = doc.user_data.get("_eventwatch_ents")
    if table is None:
        table = {}
        for ent in doc.ents:
            table.setdefault(sent_of(doc[ent.start]).start, []).append(ent)
        doc.user_data["_eventwatch_ents"] = table
    return table.get(sent.start, [])


def text_of(doc) -> str:
    """``doc.text`` without its cost: spaCy joins every token on each ``Doc.text``; the text is
    kept on the doc after the first call."""
    text = doc.user_data.get("_eventwatch_text")
    if text is None:
        text = doc.user_data["_eventwatch_text"] = doc.text
    return text


def span_text(doc, start: int, end: int) -> str:
    return text_of(doc)[start:end]


def last_token(doc, start: int, end: int) -> Token | None:
    """The last token of the character span [start, end) (None when it covers no token)."""
    span = doc.char_span(start, end, alignment_mode="expand") if 0 <= start < end <= len(text_of(doc)) else None
    return span[-1] if span is not None and len(span) else None


def sentence_of(t: Token) -> Span:
    return sent_of(t)


def ancestors_within(t: Token, sent: Span) -> Iterator[Token]:
    for a in t.ancestors:
        if sent_of(a).start != sent.start:
            return
        yield a
