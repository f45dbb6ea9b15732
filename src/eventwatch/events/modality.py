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
    "decide", "agree", "offer", "propose", "consider", "try", "attempt", "wish", "mean", "plot", "schedule",
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
    """``(reporting verb, speaker head)`` for the closest reporting frame above ``t``."""
    node = t
    for _ in range(8):
        head = node.head
        if head is node:
            break
        if node.dep_ in ("ccomp", "parataxis", "xcomp", "dobj") and head.lemma_.lower() in REPORTING:
            speaker = tree.clause_subject(head)
            if speaker is None and head.head is not head:  # "quoted sources as saying"
                objs = tree.children(head.head, tree.OBJ)
                speaker = objs[0] if objs else None
            return head, speaker
        if node.dep_ in ("advcl", "conj", "relcl", "acl", "pcomp", "pobj", "prep", "ccomp", "xcomp", "dobj", "nsubj", "attr"):
            node = head
            continue
        break
    for c in t.sent:
        if c.lower_ == "according" and c.nbor(1).lower_ == "to":
            for pp, obj in tree.prep_objects(c):
                return c, obj
            objs = [g for g in c.nbor(1).children if g.dep_ == "pobj"]
            if objs:
                return c, objs[0]
    return None, None


def detect(t: Token) -> Modality:
    """The modality of the event triggered by ``t`` (without the speaker/source comparison)."""
    if tree.negated(t):
        return Modality("negated", cue="not")
    node = t
    for _ in range(6):  # walk up infinitive/gerund complements: "failed to abide", "plans to attack"
        head = node.head
        if head is node or node.dep_ not in ("xcomp", "pcomp", "pobj", "prep", "ccomp", "advcl", "conj"):
            break
        hl = head.lemma_.lower()
        if node.dep_ in ("xcomp", "pcomp", "pobj", "prep") and hl in FAILURE:
            return Modality("negated", cue=hl)
        if tree.negated(head) and node.dep_ in ("xcomp", "conj"):
            return Modality("negated", cue="not " + hl)
        if node.dep_ in ("xcomp", "ccomp") and hl in HYPOTHETICAL_HEADS:
            return Modality("hypothetical", cue=hl)
        if node.dep_ == "xcomp" and hl in INTENT:
            return Modality("intended", cue=hl)
        if node.dep_ == "prep" and node.lower_ == "on" and hl in ("insist",):
            break
        node = head
    aux = _aux(t)
    if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in t.children):
        return Modality("hypothetical", cue="if")
    verb, speaker = _reporter(t)
    if aux & FUTURE_AUX or any(c.lower_ == "going" for c in t.children if c.dep_ == "aux"):
        return Modality("intended", speaker=speaker, cue="will")
    if aux & POSSIBILITY_AUX:
        cue = next(iter(aux & POSSIBILITY_AUX))
        # "said it would attend" is future in reported speech, not a hypothesis.
        if cue in ("would", "'d") and verb is not None:
            return Modality("intended", speaker=speaker, cue=cue)
        if cue in ("can", "must"):
            pass
        else:
            return Modality("hypothetical", speaker=speaker, cue=cue)
    if verb is not None:
        return Modality("reported", speaker=speaker, cue=verb.lemma_.lower())
    return Modality("asserted")
