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

from spacy.tokens import Token

from eventwatch.nlp import tree

REPORTING = {
    "say", "tell", "report", "claim", "allege", "add", "state", "announce", "insist", "stress", "note",
    "argue", "believe", "assert", "quote", "warn", "confirm", "reveal", "disclose", "maintain", "suggest",
    "acknowledge", "admit", "explain", "write", "declare", "indicate", "predict", "estimate", "think",
    "hint", "signal", "tweet", "post", "inform", "brief", "emphasize", "emphasise", "reiterate", "repeat",
    "contend", "charge", "complain", "lament", "remark", "comment", "observe", "testify", "recount",
}
INTENT = {
    "plan", "prepare", "intend", "seek", "vow", "pledge", "promise", "aim", "hope", "expect", "want",
    "decide", "agree", "offer", "propose", "consider", "wish", "mean", "plot", "schedule", "set", "due",
}
FAILURE = {"fail", "deny", "refuse", "decline", "reject", "avoid", "stop", "cease", "halt", "abandon", "neglect"}
HYPOTHETICAL_HEADS = {"threaten", "demand", "urge", "call", "ask", "request", "warn", "appeal", "press", "push"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
POSSIBILITY_AUX = {"could", "might", "may", "would", "should", "must", "'d", "can"}
CONDITIONAL_MARKS = {"if", "unless", "whether", "lest"}


@dataclass(slots=True)
class Modality:
    value: str  # asserted | reported | intended | hypothetical | negated
    speaker: Token | None = None  # head of the reporting speaker's noun phrase
    cue: str = ""


def _aux(t: Token) -> set[str]:
    return {c.lower_ for c in t.children if c.dep_ in ("aux", "auxpass")}


def _reporter(t: Token) -> tuple[Token | None, Token | None]:
    """``(reporting verb, speaker head)`` for the closest reporting frame above ``t``.

    When the closest frame has no recoverable speaker (a participle such as
    "…, repeating Moscow's reproach"), the next frame up decides ("Peskov said …").
    """
    node = t
    found: tuple[Token | None, Token | None] = (None, None)
    for _ in range(12):
        head = node.head
        if head.i == node.i:
            break
        if node.dep_ in ("ccomp", "parataxis", "xcomp", "dobj", "advcl") and head.lemma_.lower() in REPORTING:
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
    for c in t.sent:
        if c.lower_ == "according" and c.i + 1 < len(c.doc) and c.nbor(1).lower_ == "to":
            objs = [g for g in c.nbor(1).children if g.dep_ == "pobj"]
            if objs:
                return c, objs[0]
    return None, None


def detect(t: Token) -> Modality:
    """The modality of the event triggered by ``t``, with the reporting speaker if any.

    Modal governors are looked for only along the trigger's own complement chain
    (xcomp, ccomp, conj): "failed to abide", "plans to attack", "threatened to strike".
    A means or circumstance clause ("by accusing Russia") is not governed by the verb
    it modifies ("trying to steer … by accusing"): the accusation did happen.
    """
    verb, speaker = _reporter(t)
    if tree.negated(t):
        return Modality("negated", speaker=speaker, cue="not")
    node = t
    for _ in range(6):
        head = node.head
        if head.i == node.i or node.dep_ not in ("xcomp", "ccomp", "conj"):
            break
        hl = head.lemma_.lower()
        if node.dep_ == "xcomp" and hl in FAILURE:
            return Modality("negated", speaker=speaker, cue=hl)
        if tree.negated(head) and node.dep_ in ("xcomp", "conj"):
            return Modality("negated", speaker=speaker, cue="not " + hl)
        if hl in HYPOTHETICAL_HEADS and node.dep_ in ("xcomp", "ccomp"):
            return Modality("hypothetical", speaker=speaker, cue=hl)
        if node.dep_ == "xcomp" and hl in INTENT:
            return Modality("intended", speaker=speaker, cue=hl)
        if node.dep_ == "ccomp" and hl in REPORTING:
            break
        node = head
    aux = _aux(t)
    if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in t.children):
        return Modality("hypothetical", speaker=speaker, cue="if")
    if aux & FUTURE_AUX or any(c.lower_ == "going" for c in t.children if c.dep_ == "aux"):
        return Modality("intended", speaker=speaker, cue="will")
    modal = aux & POSSIBILITY_AUX
    if modal:
        cue = sorted(modal)[0]
        if cue in ("would", "'d") and verb is not None:
            return Modality("intended", speaker=speaker, cue=cue)  # future in reported speech
        if cue not in ("can", "must"):
            return Modality("hypothetical", speaker=speaker, cue=cue)
    if verb is not None:
        return Modality("reported", speaker=speaker, cue=verb.lemma_.lower())
    return Modality("asserted")
