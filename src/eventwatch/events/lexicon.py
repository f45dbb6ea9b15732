"""The verb and noun pattern lexicon: data files in ``events/data/lexicon/``, one per CAMEO root.

A pattern line is ``CODE LEMMA [option ...]  # comment``::

    112   accuse                   tgt:obj nest:of|for
    1124  accuse  prep:of:&WARCRIME tgt:obj
    057   sign    obj:&AGREEMENT   tgt:with
    195   pound   src:&AIRCRAFT
    195   airstrike  noun  tgt:on|against
    -     decline xcomp:comment     # a discard pattern: matching it means "no event"

Options:

``noun`` / ``adj``
    the trigger is a noun (nominal event) or an adjective ("concerned"); default a verb.
``obj:A|B|&SET``
    the logical object's lemma must be one of these (``*``: any object).
``prep:P`` / ``prep:P:A|&SET``
    a prepositional phrase with ``P`` must be present (and its object one of these);
    ``prep:on|at`` accepts either preposition.
``prt:P``
    a particle must be present ("call off", "carry out").
``xcomp:A|&SET``
    the verb must govern an infinitive or gerund complement with one of these lemmas.
``src:A|&SET``
    the source's head noun must be one of these (e.g. aircraft for aerial attacks).
``tgt:SLOT|SLOT``
    where the target is, in order of preference: ``obj``, ``iobj``, a preposition, or ``none``.
    Default for verbs: ``obj``; for nouns: ``on|against|of|with|to``.
``nest:P|P``
    a gerund under this preposition is a nested, alleged event ("accused X of attacking Y").
``mod:A|&SET``
    the trigger must have a modifier (adjective, compound, possessor, adverb) with one of
    these lemmas ("suicide bombing", "air strike", "chemical attack", "sexually abused").
``objmod:A|&SET``
    the object must have such a modifier ("fired tear gas", "stepped up mediation efforts").
``need:target``
    no event unless a target actor is found.
``via:report``
    the pattern is an accusation made by reporting it: "X said Y was trying to distract
    from its failures" is X accusing Y; it fires only inside a reporting frame, with the speaker
    as source and the verb's own subject as target.
``agent:P``
    for nouns: the object of preposition ``P`` is the actor when no possessor or ``by`` phrase
    says otherwise ("the deployment of NATO troops", "the withdrawal of Russian forces").
``subj:passive``
    the source is the passive subject (the experiencer of "it was concerned by …").
``neg`` / ``noneg``
    match only when (not) negated.
``conf:0.7``
    confidence of the pattern (default 1.0).

Sets (``&NAME lemma lemma …``) live in ``sets.txt``. The most specific matching pattern
wins (more constraints first), so general entries never shadow precise ones.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

ANY = frozenset({"*"})
NOUN_DEFAULT_TGT = ("on", "against", "of", "with", "to", "between")


class LexiconError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Pattern:
    code: str  # CAMEO code, or "-" for a discard pattern
    lemma: str
    pos: str = "verb"
    obj: frozenset | None = None
    preps: tuple = ()  # (((prep, ...), frozenset | None), ...)
    prt: str | None = None
    xcomp: frozenset | None = None
    src: frozenset | None = None
    mod: frozenset | None = None
    objmod: frozenset | None = None
    need_target: bool = False
    via_report: bool = False
    passive_subject: bool = False
    agent_prep: str | None = None
    tgt: tuple = ("obj",)
    nest: tuple = ()
    neg: bool | None = None
    conf: float = 1.0
    origin: str = ""

    @property
    def discard(self) -> bool:
        return self.code == "-"

    @property
    def specificity(self) -> int:
        n = 0
        n += 2 if self.obj and self.obj != ANY else 1 if self.obj else 0
        n += sum(2 if objs else 1 for _p, objs in self.preps)
        n += 1 if self.prt else 0
        n += 2 if self.xcomp and self.xcomp != ANY else 1 if self.xcomp else 0
        n += 2 if self.src else 0
        n += 2 if self.mod else 0
        n += 2 if self.objmod else 0
        n += 1 if self.neg is not None else 0
        return n


@dataclass
class Lexicon:
    patterns: dict[tuple[str, str], list[Pattern]] = field(default_factory=dict)
    sets: dict[str, frozenset] = field(default_factory=dict)

    def for_token(self, lemma: str, pos: str) -> list[Pattern]:
        return self.patterns.get((lemma, pos), [])

    @property
    def size(self) -> int:
        return sum(len(v) for v in self.patterns.values())

    def codes(self) -> set[str]:
        return {p.code for v in self.patterns.values() for p in v if not p.discard}


def _words(spec: str, sets: dict[str, frozenset], where: str) -> frozenset:
    out: set[str] = set()
    for part in spec.split("|"):
        part = part.strip().lower()
        if not part:
            continue
        if part == "*":
            return ANY
        if part.startswith("&"):
            if part not in sets:
                raise LexiconError(f"{where}: unknown set {part}")
            out |= sets[part]
        else:
            out.add(part)
    return frozenset(out)


def parse_sets(text: str, origin: str) -> dict[str, frozenset]:
    sets: dict[str, frozenset] = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, *members = line.split()
        if not name.startswith("&") or not members:
            raise LexiconError(f"{origin}:{n}: a set line is '&NAME word word …'")
        expanded: set[str] = set()
        for m in members:
            m = m.lower()
            expanded |= sets[m] if m.startswith("&") and m in sets else {m}
        sets[name.lower()] = frozenset(sets.get(name.lower(), frozenset()) | expanded)
    return sets


_CODE = re.compile(r"^(?:\d{2,4}|-)$")


def parse_line(line: str, sets: dict[str, frozenset], where: str) -> Pattern | None:
    line = line.split("#", 1)[0].strip()
    if not line:
        return None
    code, *rest = line.split()
    if not _CODE.match(code):
        raise LexiconError(f"{where}: bad CAMEO code {code!r}")
    if not rest:
        raise LexiconError(f"{where}: missing trigger lemma")
    lemma, opts = rest[0].lower().replace("_", " "), rest[1:]
    kw: dict = {"code": code, "lemma": lemma, "origin": where}
    preps = []
    for opt in opts:
        key, _, val = opt.partition(":")
        if key in ("noun", "adj", "verb") and not val:
            kw["pos"] = key
        elif key == "neg" and not val:
            kw["neg"] = True
        elif key == "noneg" and not val:
            kw["neg"] = False
        elif key == "obj":
            kw["obj"] = _words(val, sets, where)
        elif key == "prep":
            p, _, objs = val.partition(":")
            names = tuple(x.replace("_", " ").lower() for x in p.split("|") if x)
            if not names:
                raise LexiconError(f"{where}: prep needs a preposition")
            preps.append((names, _words(objs, sets, where) if objs else None))
        elif key == "prt":
            kw["prt"] = val.lower()
        elif key == "xcomp":
            kw["xcomp"] = _words(val, sets, where)
        elif key == "src":
            kw["src"] = _words(val, sets, where)
        elif key == "mod":
            kw["mod"] = _words(val, sets, where)
        elif key == "objmod":
            kw["objmod"] = _words(val, sets, where)
        elif key == "need" and val == "target":
            kw["need_target"] = True
        elif key == "via" and val == "report":
            kw["via_report"] = True
        elif key == "subj" and val == "passive":
            kw["passive_subject"] = True
        elif key == "agent" and val:
            kw["agent_prep"] = val.lower()
        elif key == "tgt":
            kw["tgt"] = tuple(x.replace("_", " ").lower() for x in val.split("|") if x)
        elif key == "nest":
            kw["nest"] = tuple(x.lower() for x in val.split("|") if x)
        elif key == "conf":
            try:
                kw["conf"] = float(val)
            except ValueError:
                raise LexiconError(f"{where}: conf must be a number") from None
        else:
            raise LexiconError(f"{where}: unknown option {opt!r}")
    kw["preps"] = tuple(preps)
    if kw.get("pos") == "noun" and "tgt" not in kw:
        kw["tgt"] = NOUN_DEFAULT_TGT
    return Pattern(**kw)


def parse(files: dict[str, str], sets_text: str) -> Lexicon:
    """Build a lexicon from ``{name: text}`` pattern files and the sets file text."""
    lex = Lexicon(sets=parse_sets(sets_text, "sets.txt"))
    index: dict[tuple[str, str], list[Pattern]] = defaultdict(list)
    errors = []
    for name, text in sorted(files.items()):
        for n, line in enumerate(text.splitlines(), 1):
            try:
                pat = parse_line(line, lex.sets, f"{name}:{n}")
            except LexiconError as exc:
                errors.append(str(exc))
                continue
            if pat is not None:
                index[(pat.lemma, pat.pos)].append(pat)
    if errors:
        raise LexiconError("; ".join(errors[:10]) + (f" (+{len(errors) - 10} more)" if len(errors) > 10 else ""))
    for pats in index.values():
        pats.sort(key=lambda p: -p.specificity)
    lex.patterns = dict(index)
    return lex


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    root = resources.files("eventwatch.events").joinpath("data/lexicon")
    files = {e.name: e.read_text(encoding="utf-8") for e in root.iterdir() if e.name.endswith(".txt") and e.name != "sets.txt"}
    return parse(files, root.joinpath("sets.txt").read_text(encoding="utf-8"))
