"""Events the lexicon's verb patterns do not make on their own.

* Demand frames: "X said Y must withdraw" is a demand (with "should", an appeal) by X on Y;
  "issued a reminder to Iraq that it must cooperate" too, the issuer demanding.
* Violence with no named perpetrator: "were killed", "a roadside bombing killed …" are coded
  with the unidentified armed forces of the country where it happened as source (CAMEO's
  convention), when the target is a known actor.
* Ultimatums: an action announced on a negative condition ("will withdraw unless …").

``FrameEvents`` is mixed into ``Coder``; its methods use the coder's ``_event``, ``_target``
and ``_place``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Token

from eventwatch.actors.context import ArticleActors
from eventwatch.events import codes
from eventwatch.events.common import event_id, same, shift
from eventwatch.events.match import Match
from eventwatch.events.modality import cues
from eventwatch.model import Actor, Event
from eventwatch.nlp import tree

ULTIMATUM = "139"
UNATTRIBUTED_ROOTS = {"18", "19", "20"}  # violence is reported even when its perpetrator is not named
NAMED = ("GPE", "ORG", "NORP", "PERSON")


@dataclass(frozen=True, slots=True)
class FramePattern:
    """The minimal pattern interface ``_event`` reads, for events made by frames, not the lexicon."""

    code: str
    origin: str
    conf: float = 0.9


def ultimatum(t: Token) -> bool:
    """An announced action on a negative condition: "will withdraw unless a ceasefire is arranged"."""
    marks = cues()["ultimatum_marks"]
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children)
               for c in t.children)


class FrameEvents:
    """Frame-based events for ``Coder`` (see the module docstring)."""

    def _unattributed(self, t: Token, p, src_head: Token | None) -> bool:
        """Violence without a named perpetrator: "were killed", "a roadside bombing killed …"."""
        if p.code[:2] not in UNATTRIBUTED_ROOTS:
            return False
        if src_head is None:
            return tree.is_passive(t)
        means = self.lex.sets.get("&means", frozenset())
        return src_head.pos_ == "NOUN" and not src_head.ent_type_ and (
            src_head.lemma_.lower() in means or src_head.lower_ in means)

    def _unattributed_events(self, article, sent, index, base, ctx, m: Match, mod, speaker) -> list[Event]:
        """Events with an unknown source, for targets that resolve to known actors (no code, no event)."""
        t, p = m.trigger, m.pattern
        targets = [a for tok in m.target_tokens for a in self._target(ctx, tok) if a is not None and a.code]
        if not targets:
            return []
        code = codes.lookup(p.code)
        if mod.value == "intended":
            code = codes.intent(code.code)
        self._actors_here = tuple(targets) + ((speaker,) if speaker else ())
        attributed = shift(speaker, base) if speaker is not None else None
        means = tree.clause_subject(t) if not tree.is_passive(t) else None
        out = []
        for tgt in targets:
            ev = self._event(article, sent, index, base, t, code, p, None, tgt, mod.value, attributed, None)
            country = ev.place.country if ev.place is not None else None
            if country:
                # CAMEO's convention: unidentified armed forces of the country where it happened.
                if means is not None:
                    start, end = tree.span_of(tree.np_tokens(means))
                    text = tree.span_text(t.doc, start, end)
                else:
                    start = end = t.idx
                    text = ""
                src = Actor(text=text, start=base + start, end=base + end, code=f"{country}UAF", country=country,
                            sector="UAF", confidence=0.8,
                            reason="perpetrator not named: unidentified armed forces where it happened")
                ev = replace(ev, source=src, id=event_id(article.id, index, base + t.idx, src.code,
                                                         ev.target.code if ev.target else "", code.code, ""))
            out.append(ev)
        return out

    @staticmethod
    def _listener(v: Token) -> Token | None:
        """The named one a demand is addressed to: "told Iraq that …", "a reminder to Iraq that …"."""
        issuer = v.head if v.pos_ in ("NOUN", "PROPN") else v
        told = [o for pp, o in tree.prep_objects(issuer) if pp in ("to", "iobj")] + [
            o for o in issuer.children if o.dep_ in ("dobj", "obj") and o.i != v.i]
        if told and (told[0].pos_ == "PROPN" or told[0].ent_type_ in NAMED):
            return told[0]
        return None

    def _demand_frames(self, article, sent, index, base, ctx: ArticleActors) -> list[Event]:
        """"X said Y must withdraw": a demand (or, with "should", an appeal) by X on Y.

        The obligation modal is the trigger; the complement's own event (if any) is nested
        under the demand as its hypothetical content.
        """
        out: list[Event] = []
        C = cues()
        for v in sent:
            lemma = v.lemma_.lower()
            if lemma in C["reporting"]:
                comps = [c for c in v.children if c.dep_ == "ccomp"]
                speaker_head = tree.clause_subject(v)
            elif lemma in C["document_nouns"] and v.dep_ in ("dobj", "obj") and v.head.pos_ in ("VERB", "AUX"):
                # "issued a reminder to Iraq that it must cooperate": the issuer demands
                comps = [c for c in v.children if c.dep_ in ("acl", "ccomp")
                         and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
                speaker_head = tree.clause_subject(v.head)
            else:
                continue
            for comp in comps:
                modals = [c for c in comp.children if c.dep_ in ("aux", "auxpass") and codes.frame_code(c.lower_)]
                subj = tree.first(comp, tree.SUBJ)
                if not modals or subj is None or speaker_head is None or tree.negated(comp):
                    continue
                modal = modals[0]
                if subj.pos_ == "PRON":
                    told = self._listener(v)
                    if told is not None:
                        # "told Iraq that it must cooperate": the one told, when named (not "told
                        # reporters that it must …")
                        self._bound[subj.i] = subj = told
                speakers, targets = ctx.resolve(speaker_head), ctx.resolve(subj)
                code = codes.lookup(codes.frame_code(modal.lower_))
                pattern = FramePattern(code.code, f"frames.tsv:{modal.lower_}")
                events = []
                self._actors_here = tuple(speakers) + tuple(targets)
                for sp in speakers:
                    for tg in targets:
                        if not same(sp, tg):
                            events.append(self._event(article, sent, index, base, modal, code, pattern, sp, tg,
                                                      "asserted", None, None))
                if events:
                    self._fired[modal.i] = events
                    out.extend(events)
        return out
