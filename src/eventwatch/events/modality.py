"""How sure the text is about an event: asserted, reported, intended, hypothetical or negated.

Rules over the dependency parse, in order of precedence:

* **negated** — a negation on the trigger ("did not attack", "no agreement"), or the trigger
  is the complement of a verb of failing/denying ("failed to abide", "denied attacking");
* **hypothetical** — conditional clauses (if/unless/whether), modal verbs of possibility
  (could, might, may, would outside reported speech), complements of threats and demands;
* **intended** — future auxiliaries (will, shall, going to) or complements of verbs of intent
  (plan, prepare, intend, seek, vow, pledge, promise, aim, hope, expect, be set to);
* **reported** — the event sits in the complement of a reporting verb (say, tell, claim,
  accuse, according to …) whose speaker is not the event's own actor; ``attributed_to`` is
  that speaker.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Token

from eventwatch.nlp import tree



@lru_cache(maxsize=1)
def cues() -> dict[str, frozenset[str]]:
    """Cue-word sections of ``events/data/modality.txt``."""
    text = resources.files("eventwatch.events").joinpath("data/modality.txt").read_text(encoding="utf-8")
    out: dict[str, set[str]] = {}
    section = None
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            out[section] = set()
        elif section is not None:
            out[section].update(w.lower() for w in line.split())
    return {k: frozenset(v) for k, v in out.items()}


@dataclass(slots=True)
class Modality:
    value: str  # asserted | reported | intended | hypothetical | negated
    speaker: Token | None = None  # head of the reporting speaker's noun phrase
    cue: str = ""
    governor: Token | None = None  # the word that made it so ("agreed to lift": agreed)


def _aux(t: Token) -> set[str]:
    return {c.lower_ for c in t.children if c.dep_ in ("aux", "auxpass")}


def _reporter(t: Token) -> tuple[Token | None, Token | None]:
    """``(reporting verb, speaker head)`` for the closest reporting frame above ``t``.

    When the closest frame has no recoverable speaker (a participle such as
    "…, repeating Moscow's reproach"), the next frame up decides ("Peskov said …").
    """
    C = cues()
    node = t
    found: tuple[Token | None, Token | None] = (None, None)
    for _ in range(12):
        head = node.head
        if head.i == node.i:
            break
        if node.dep_ in ("ccomp", "parataxis", "xcomp", "dobj", "advcl") and head.lemma_.lower() in C["reporting"]:
            speaker = tree.clause_subject(head)
            if speaker is None and head.head.i != head.i:  # "quoted sources as saying"
                objs = tree.children(head.head, tree.OBJ)
                speaker = objs[0] if objs else None
            if speaker is not None:
                return head, speaker
            if found[0] is None:
                found = (head, None)
        node = head
    if found[0] is not None:
        return found
    for c in tree.sent_of(t):
        if c.lower_ == "according" and c.i + 1 < len(c.doc) and c.nbor(1).lower_ == "to":
            objs = [g for g in c.nbor(1).children if g.dep_ == "pobj"]
            if objs:
                return c, objs[0]
    return None, None


def _anchor(t: Token) -> Token | None:
    """The verb that carries an adjective's or a noun's modality: the copula of "is ready",
    the verb governing "the deployment" (through objects and prepositions)."""
    if t.pos_ == "ADJ" and t.dep_ in ("acomp", "xcomp") and t.head.i != t.i:
        return t.head
    if t.pos_ in ("NOUN", "PROPN") and not t.tag_.startswith("VB"):
        node = t
        for _ in range(4):
            if node.dep_ not in ("dobj", "pobj", "prep", "nsubj", "nsubjpass", "attr", "oprd") or node.head.i == node.i:
                return None
            node = node.head
            if node.pos_ in ("VERB", "AUX"):
                return node
    return None


def detect(t: Token) -> Modality:
    """The modality of the event triggered by ``t``, with the reporting speaker if any.

    Modal governors are looked for only along the trigger's own complement chain
    (xcomp, ccomp, conj): "failed to abide", "plans to attack", "threatened to strike".
    A means or circumstance clause ("by accusing Russia") is not governed by the verb
    it modifies ("trying to steer … by accusing"): the accusation did happen.
    ``governor`` is the word that decided (the governing verb, or an obligation modal),
    so the coder can nest the event under that word's own event.
    """
    C = cues()
    verb, speaker = _reporter(t)
    if tree.negated(t):
        return Modality("negated", speaker=speaker, cue="not")
    anchor = _anchor(t)
    if anchor is not None:
        # "must be ready to …", "goes ahead with the deployment": the verb carries the modality.
        m = detect(anchor)
        if m.value in ("negated", "hypothetical", "intended"):
            return Modality(m.value, speaker=speaker or m.speaker, cue=m.cue, governor=m.governor)
    node = t
    for _ in range(6):
        head = node.head
        dep = node.dep_
        if dep == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children):
            dep = "xcomp"  # "sworn to fight" parsed as an adverbial clause: an infinitive complement
        if head.i == node.i or dep not in ("xcomp", "ccomp", "conj"):
            break
        hl = head.lemma_.lower()
        if dep == "xcomp" and hl in C["failure"]:
            return Modality("negated", speaker=speaker, cue=hl, governor=head)
        if tree.negated(head) and dep in ("xcomp", "conj"):
            return Modality("negated", speaker=speaker, cue="not " + hl, governor=head)
        if hl in C["hypothetical_heads"] and dep in ("xcomp", "ccomp"):
            return Modality("hypothetical", speaker=speaker, cue=hl, governor=head)
        if dep == "xcomp" and hl in C["intent"]:
            return Modality("intended", speaker=speaker, cue=hl, governor=head)
        if dep == "ccomp" and hl in C["reporting"]:
            break
        node = head
    aux = _aux(t)
    if any(c.dep_ == "mark" and c.lower_ in C["conditional_marks"] for c in t.children):
        return Modality("hypothetical", speaker=speaker, cue="if")
    if aux & C["future_aux"] or any(c.lower_ == "going" for c in t.children if c.dep_ == "aux"):
        return Modality("intended", speaker=speaker, cue="will")
    obligation = [c for c in t.children if c.dep_ in ("aux", "auxpass") and c.lower_ in C["obligation_aux"]]
    if obligation:
        return Modality("hypothetical", speaker=speaker, cue=obligation[0].lower_, governor=obligation[0])
    modal = aux & C["possibility_aux"]
    if modal:
        cue = sorted(modal)[0]
        if cue in ("would", "'d") and verb is not None:
            return Modality("intended", speaker=speaker, cue=cue)  # future in reported speech
        return Modality("hypothetical", speaker=speaker, cue=cue)
    if verb is not None:
        return Modality("reported", speaker=speaker, cue=verb.lemma_.lower())
    return Modality("asserted")
