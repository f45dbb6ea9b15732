"""The target of last resort: the nearest actor inside the event's own verb phrase.

When neither the pattern's slots nor the constructions in ``Coder._implied_targets`` name a
target, CAMEO coders (and PETRARCH) take the first actor in the verb phrase: "promised to
continue military aid to Angola", "threatened to break relations with Ukraine", "told the
Danish embassy to close". This walks the trigger's dependents breadth-first, a few levels
deep, and returns the first phrase that resolves to an actor other than the source.

What it does not enter: the trigger's own subject and a passive's ``by`` phrase (the
source's side), clauses that report another speaker's words (``ccomp``), relative clauses,
adverbial clauses with a subject of their own other than conditions ("will send troops …
unless the United States stops …" is entered), and places introduced by a locative
preposition ("set up a centre in Tokyo" does not target Japan) — except for protests, whose
place is by CAMEO convention what they target when nothing else is named ("demonstrated in
Serbia").

Being a guess, it is held to more than a named target: the actor must have a country, and
must not be an organ of the source's own state when the source is one ("the president will
not send the army" does not make the army his target; "farmers demanded the return of land
seized by government forces" keeps its target), and it is only tried when the pattern's own
target slot is empty (a named target that is not an actor, "investigating Acme", is kept).
"""

from __future__ import annotations

from collections import deque

from spacy.tokens import Token

from eventwatch.actors.context import ArticleActors
from eventwatch.events.common import same
from eventwatch.model import Actor
from eventwatch.nlp import tree

MAX_DEPTH = 4
SKIP_DEPS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "agent", "expl", "aux", "auxpass", "punct", "cc", "mark",
             "ccomp", "relcl", "acl", "parataxis", "appos", "neg", "det", "case", "advmod", "npadvmod"}
LOCATIVE = {"in", "at", "from", "near", "inside", "outside", "across", "throughout", "around", "within", "over", "through"}
PLACE_TARGET_ROOTS = {"14"}  # protests
CONDITIONS = {"if", "unless"}
STATE = {"GOV", "MIL", "LEG", "JUD", "SPY", "COP"}  # a state's organs


def phrase_targets(ctx: ArticleActors, trigger: Token, root: str, sources: list[Actor]) -> list[Actor]:
    """The first actor (with its coordinated ones) in the trigger's phrase of another country than
    the sources'."""
    queue: deque[tuple[Token, int]] = deque((c, 1) for c in trigger.children)
    while queue:
        tok, depth = queue.popleft()
        if tok.dep_ in SKIP_DEPS or tok.dep_ == "conj" and tok.head is trigger:
            continue
        if tok.dep_ == "prep" and tok.lower_ in LOCATIVE and root not in PLACE_TARGET_ROOTS and not (
                tok.lower_ == "from" and tok.head.pos_ == "NOUN"):  # "a demand from the US" names its owner
            continue
        if tok.dep_ == "advcl" and tree.first(tok, tree.SUBJ | tree.PASSIVE_SUBJ) is not None and not any(
                c.dep_ == "mark" and c.lower_ in CONDITIONS for c in tok.children):
            continue  # "… before he was taken to a hospital": another event; "unless the US …" is not
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ not in ("compound", "amod", "nmod"):
            found = [a for a in ctx.resolve(tok) if a is not None and a.code and a.country
                     and not any(same(a, s) or _own_organ(a, s) for s in sources)]
            if found:
                return found
        if depth < MAX_DEPTH:
            queue.extend((c, depth + 1) for c in tok.children)
    return []


def _own_organ(a: Actor, source: Actor) -> bool:
    """Whether ``a`` is an organ of the source's own state, as the source is ("send the army")."""
    return a.country == source.country and (a.sector or "GOV") in STATE and (source.sector or "GOV") in STATE
