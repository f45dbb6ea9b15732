"""Phrase-level actor resolution: one noun phrase string -> country, sector, code, and why.

The rules, in the order they apply (see :func:`resolve_phrase`):

1. The phrase is tokenised and scanned for the longest knowledge-base aliases. A
   preposition outside any alias ("rebels *in* Darfur", "president *of* Armenia")
   splits it into a main part and modifiers; the main part decides first.
2. Each match keeps the entries valid on ``date``; with no valid entry the nearest
   one is used (a person whose roles all ended is a former official, ELI). Without
   a date the most recent role/row is used, at a lower confidence. Within one
   match, organisations/groups/seats outrank countries, which outrank people,
   which outrank capitals (``Brussels`` is the EU, ``Jordan`` the country).
3. The **sector** comes from the head agent noun (the rightmost agent in the main
   part): titles, bodies and agents give their own sector; *member* nouns
   (spokesman, officials, forces, fighters) take the sector of what precedes them
   unless that is the generic GOV; a *modifier* (former, ousted) makes it ELI.
   With no agent noun the actor's own sector is used (Kremlin GOV, Hamas REB,
   a capital city alone GOV at a lower confidence, a country name none).
4. The **country** comes from a person, else an organisation/group/seat, else the
   first country name/demonym, else a capital, in the main part before the
   modifiers. Matches after ``pro-/anti-/non-`` or before ``-backed/-based`` are
   not the actor's country; a demonym after ``ethnic`` or a plural demonym after
   another country is an ethnic group (CVL). With only agent nouns the country
   comes from ``priors`` (weak: low confidence) or stays None.
5. Candidates that disagree on country/sector are disambiguated by other country
   evidence in the phrase, then by ``priors``; otherwise the result is
   ``ambiguous`` with only the agreed fields set.
6. With no alias at all, capitalised words are matched fuzzily (rapidfuzz).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from eventwatch.actors.kb import Hit, KnowledgeBase, default_kb, filter_date, memoised, norm_date
from eventwatch.actors.loader import Entry
from eventwatch.actors.normalize import NEGATING_PREFIXES, PREPOSITIONS, clean, counted, tokens

RANK = {"seat": 0, "organization": 0, "group": 0, "country": 1, "person": 2, "capital": 3, "agent": 4}
# "Iranian-backed", "Britain-based", "Israeli-occupied": the country is a backer or a place, not the actor
BACKED = frozenset("backed based sponsored supported funded trained allied aligned linked born occupied held "
                   "controlled administered ruled dominated".split())
INTL = ("IGO", "NGO")
# which head sectors a modifier changes: "former president" ELI, "official newspaper" GOV
MODIFIES = {"ELI": ("GOV", "MIL", "COP", "JUD", "LEG", "SPY", "REB", "OPP", "PTY", "PRM", "IGO"),
            "GOV": ("JRN", "BUS", "MED", "EDU", "PRM", "NGO")}


@dataclass
class Resolution:
    """The resolved actor. ``confidence`` < 0.5 means low confidence; ``reason`` says which
    entries and rules decided; ``candidates`` are all entries considered."""

    code: str | None
    country: str | None
    sector: str | None
    name: str | None
    confidence: float
    reason: str
    candidates: list[Entry] = field(default_factory=list)
    ambiguous: bool = False

    @property
    def low_confidence(self) -> bool:
        return self.confidence < 0.5

    def as_dict(self) -> dict:
        return {
            "code": self.code, "country": self.country, "sector": self.sector, "name": self.name,
            "confidence": round(self.confidence, 3), "ambiguous": self.ambiguous, "reason": self.reason,
            "candidates": [{"kind": e.kind, "name": e.name, "code": e.code, "role": e.role,
                            "from": e.valid_from, "to": e.valid_to, "source": e.source} for e in self.candidates],
        }


@dataclass(slots=True)
class _Match:
    i: int
    j: int
    text: str
    entries: list[Entry]
    kind: str
    note: str = ""
    conf: float = 1.0
    former: bool = False  # a person with no role on the date, all roles ended
    ignored: str = ""  # why this match is not country evidence
    ethnic: bool = False
    hits: list[Hit] = field(default_factory=list)

    @property
    def e(self) -> Entry:
        return self.entries[0]


def _span(e: Entry) -> str:
    if not e.valid_from and not e.valid_to:
        return ""
    return f" {e.valid_from or ''}\u2013{e.valid_to or ''}"


def _latest(entries: list[Entry]) -> list[Entry]:
    """Per person (or per distinct non-person entry), the entry with the latest start (open-ended first)."""
    best: dict[tuple, Entry] = {}
    for e in entries:  # a person's roles in several countries are one person; other names are not
        k = (e.kind, e.name) if e.kind == "person" else (e.kind, e.name, e.country, e.role)
        b = best.get(k)
        if b is None or (e.valid_from or "", e.valid_to is None) > (b.valid_from or "", b.valid_to is None):
            best[k] = e
    return list(best.values())


def _timed(hits: list[Hit], d: str | None) -> tuple[list[Entry], str, float, bool]:
    """Entries of one match for date ``d``: (entries, note, confidence factor, former)."""
    if len(hits) == 1 and not hits[0].lo and hits[0].hi == "~":
        return [hits[0].entry], "", 1.0, False
    dated = any(h.lo or h.hi != "~" for h in hits)
    if d is None:
        entries = _latest([h.entry for h in hits])
        if dated and (any(e.kind == "person" for e in entries) or len(entries) < len({h.entry for h in hits})
                      or any(e.valid_to for e in entries)):
            return entries, "no date: most recent role", 0.8, False
        return entries, "", 1.0, False
    valid = filter_date(hits, d)
    if valid:
        return _latest([h.entry for h in valid]), "", 1.0, False
    before = [h for h in hits if h.hi < d]
    if before:
        last = max(before, key=lambda h: h.hi)
        e = last.entry
        if e.kind == "person":
            return [e], f"no role on {d}; last: {e.role} until {e.valid_to}", 0.65, True
        return [e], f"no row valid on {d}; nearest ended {e.valid_to}", 0.75, False
    first = min(hits, key=lambda h: h.lo)
    e = first.entry
    return [e], f"no row valid on {d}; nearest starts {e.valid_from}", 0.6, False


def _demonym(m: _Match) -> bool:
    """A demonym or a people's name (Kurds): a word for inhabitants, not for the state."""
    return m.kind == "country" and any(e.role and (e.role.endswith("demonym") or e.role == "people")
                                       for e in m.entries)


def _plural_demonym(m: _Match) -> bool:
    return _demonym(m) and m.text.lower().endswith("s") and not m.text.lower().endswith(("ss", "ese"))


def _describe(m: _Match) -> str:
    e = m.e
    if e.kind == "agent":
        return f"{e.role} '{m.text}' ({e.sector})"
    if e.kind == "person":
        role = f"{e.role}{_span(e)}" if e.role else e.code or ""
        return f"person '{e.name}' ({role})"
    if e.kind == "country":
        what = e.role or "country"
        where = f"{e.name}, {e.country}" if what.startswith(("region", "people")) else e.country
        return f"{what} '{m.text}' ({where})"
    label = {"capital": "capital", "seat": "seat", "organization": "organization", "group": "group"}[e.kind]
    return f"{label} '{m.text}' ({e.code})"


def _code(country: str | None, sector: str | None, base: Entry | None = None) -> str | None:
    """Country + sector; for an organisation (or one of its officials) its code + the sector."""
    if base is not None and base.code and (base.kind == "organization" or base.code[:3] in INTL):
        if sector is None or sector == base.sector or sector in INTL:
            return base.code
        return base.code[:6] + sector if base.code[:3] in INTL else (country or "") + sector
    if country is None:
        return None
    return country + (sector or "")


def _matches(kb: KnowledgeBase, orig: list[str], norm: list[str], lower: bool, d: str | None) -> list[_Match]:
    out = []
    for i, j, hits in kb.scan(orig, norm, lower):
        best = min(RANK[h.entry.kind] for h in hits)
        hits = [h for h in hits if RANK[h.entry.kind] == best]
        entries, note, conf, former = _timed(hits, d)
        kinds = {e.kind for e in entries}
        out.append(_Match(i, j, " ".join(orig[i:j]), entries, min(kinds, key=RANK.get), note, conf, former, hits=hits))
    for k, m in enumerate(out):
        roles = {e.role for e in m.entries}
        if m.kind == "agent" and "modifier" in roles and len(roles) > 1:
            # "official" before another agent noun modifies it ("official newspaper"); last, it is the noun
            before = any(o.kind == "agent" for o in out[k + 1:])
            m.entries = sorted(m.entries, key=lambda e: (e.role == "modifier") != before)
    return out


def _fuzzy(kb: KnowledgeBase, orig: list[str], norm: list[str], covered: set[int], d: str | None) -> list[_Match]:
    """Fuzzy matches for runs of capitalised words not covered by an alias (misspelt names)."""
    out: list[_Match] = []
    i = 0
    while i < len(orig):
        if i in covered or not orig[i][:1].isupper():
            i += 1
            continue
        j = i
        while j < len(orig) and j not in covered and orig[j][:1].isupper():
            j += 1
        text = " ".join(orig[i:j])
        found = [(e, s) for e, s in kb.fuzzy(text, limit=5) if e.kind != "agent"]
        if found:
            top = found[0][1]
            entries = [e for e, s in found if s == top]
            entries = _timed([Hit(e, 0, "", e.valid_from or "", (e.valid_to + "~") if e.valid_to else "~", 0)
                              for e in entries], d)[0]
            kinds = {e.kind for e in entries}
            out.append(_Match(i, j, text, entries, min(kinds, key=RANK.get),
                              f"fuzzy match {top:.0f}/100", 0.85 * top / 100))
        i = j
    return out


def _pick(m: _Match, others: list[_Match], priors: Sequence[str]) -> tuple[Entry | None, str, bool]:
    """One entry for a match with several candidates: (entry, how, ambiguous)."""
    keys = {(e.country, e.sector) for e in m.entries}
    if len(keys) <= 1:
        return m.entries[0], "", False
    evidence = {o.e.country for o in others if o is not m and not o.ignored and o.e.kind != "agent" and len(o.entries) == 1}
    for source, countries in (("phrase", evidence), ("priors", list(priors))):
        for c in countries:
            fit = [e for e in m.entries if e.country == c]
            if fit and len({(e.country, e.sector) for e in fit}) == 1:
                return fit[0], f"disambiguated by {source} ({c})", False
    return None, "", True


_CACHE_MAX = 200_000


def resolve_phrase(text: str, date=None, priors: Sequence[str] = (), kb: KnowledgeBase | None = None,
                   cache: bool = True) -> Resolution | None:
    """Resolve one actor noun phrase ("Russian Foreign Minister Sergei Lavrov", "the Kremlin",
    "government troops"). ``date`` (YYYY-MM-DD) selects date-bounded roles; ``priors`` are
    ISO3 codes of the article's main countries (dateline first), a weak fallback.
    Returns None when nothing in the phrase is an actor.

    Results are memoised per knowledge base (``cache=False`` recomputes); each call returns
    its own copy."""
    if kb is None:
        kb = default_kb()
    d = norm_date(date)
    if not cache:
        return _resolve(kb, text, d, priors)
    k = (text, d, tuple(priors) if priors else ())
    r = memoised(kb.memo, k, lambda: _resolve(kb, text, d, priors), _CACHE_MAX)
    if r is None:
        return None
    return Resolution(r.code, r.country, r.sector, r.name, r.confidence, r.reason, list(r.candidates), r.ambiguous)


def _resolve(kb: KnowledgeBase, text: str, d: str | None, priors: Sequence[str]) -> Resolution | None:
    orig, norm = tokens(text)
    if not norm:
        return None
    lower = text == text.lower()
    ms = _matches(kb, orig, norm, lower, d)
    if not any(m.kind != "agent" for m in ms):
        covered = {k for m in ms for k in range(m.i, m.j)}
        fz = _fuzzy(kb, orig, norm, covered, d) if not lower else []
        if fz:
            ms = sorted(ms + fz, key=lambda m: m.i)
    if not any(m.kind == "agent" and m.e.role != "modifier" for m in ms):
        covered = {k for m in ms for k in range(m.i, m.j)}
        for k, t in enumerate(orig):
            if k not in covered and len(t) >= 6 and t.islower():
                near = [(e, sc) for e, sc in kb.fuzzy(t, limit=3, cutoff=90) if e.kind == "agent" and e.role != "modifier"]
                if near:
                    ms.append(_Match(k, k + 1, t, [near[0][0]], "agent", f"fuzzy agent {near[0][1]:.0f}/100", 0.85))
                    ms.sort(key=lambda m: m.i)
                    break
    if not ms:
        return None

    covered = {k for m in ms for k in range(m.i, m.j)}
    # the main part ends at the first preposition or participle ("warplanes *supporting* government
    # forces") outside an alias, once something has matched
    p = next((k for k, t in enumerate(norm) if k > 0 and k not in covered
              and (t in PREPOSITIONS or (t.endswith("ing") and len(t) > 5 and orig[k].islower()))
              and any(m.j <= k for m in ms)), len(norm))
    locative = norm[0] in PREPOSITIONS and 0 not in covered
    for m in ms:
        if m.kind == "agent":
            continue
        if m.i > 0 and norm[m.i - 1] in NEGATING_PREFIXES:
            m.ignored = f"'{orig[m.i - 1]}-{m.text}' is not the actor"
        elif m.j < len(norm) and norm[m.j] in BACKED and f"{orig[m.j - 1]}-{orig[m.j]}" in clean(text):
            m.ignored = f"'{m.text}-{orig[m.j]}' is a backer or base, not the actor"
        elif m.i > 0 and norm[m.i - 1] == "ethnic" and _demonym(m):
            m.ethnic = True

    main = [m for m in ms if m.i < p]
    agents = [m for m in main if m.kind == "agent"]
    heads = [m for m in agents if m.e.role != "modifier"]
    head = heads[-1] if heads else None
    modifiers = [m for m in agents if m.e.role == "modifier" and (head is None or m.i < head.i)]
    actors_main = [m for m in main if m.kind != "agent" and not m.ignored and not m.ethnic]
    actors_rest = [m for m in ms if m.i >= p and m.kind != "agent" and not m.ignored and not m.ethnic]
    if not actors_main and head is not None and head.i < p:
        tail = [k for k in range(head.j, p) if k not in covered and norm[k].isalpha() and orig[k].islower()]
        if tail:  # "official contact", "security situation": the agent word only modifies the noun
            return None
    if head is None:  # "rebels in Darfur" has a head; "in central Baghdad" may only have modifiers
        rest_heads = [m for m in ms if m.i >= p and m.kind == "agent" and m.e.role != "modifier"]
        head = rest_heads[0] if rest_heads and not actors_main else None
    parts: list[str] = []
    candidates: list[Entry] = []
    for m in ms:
        for e in m.entries:
            if e not in candidates:
                candidates.append(e)

    # -- the actor that gives the country ------------------------------------------------------
    pool = actors_main or actors_rest
    actor: _Match | None = None
    if pool:
        people = [m for m in pool if m.kind == "person"]
        named = [m for m in pool if m.kind in ("organization", "group", "seat")]
        places = [m for m in pool if m.kind == "country"]
        caps = [m for m in pool if m.kind == "capital"]
        actor = (people[-1] if people else named[-1] if named else places[0] if places else caps[0])
    ethnic_note = ""
    if actor is not None and actor.kind == "country":
        # "Bosnian Serbs": a later plural demonym is an ethnic group of the first country
        later = [m for m in pool if m.kind == "country" and m.i > actor.i and _plural_demonym(m)]
        rest = [m for m in actors_rest if m.kind in ("country", "capital")]
        if later and (head is None or later[-1].i > head.i):
            ethnic_note = f"'{later[-1].text}' as an ethnic group (CVL)"
        elif head is None and pool is actors_main and _plural_demonym(actor) and rest:
            # "Albanians of southern Serbia": a people living in the country named after them
            ethnic_note = f"'{actor.text}' as a community in {rest[0].e.country} (CVL)"
            actor = rest[0]

    if actor is not None and actor.kind == "person" and head is not None and head.e.role == "title" \
            and head.i < actor.i and actor.hits:
        # "Prime Minister Ehud Barak": the title picks among the person's roles (on the date, if any)
        said = {head.e.name, head.text.lower()}
        hs = filter_date(actor.hits, d) if d else actor.hits
        fit = [h.entry for h in hs if h.entry.role and any(w in h.entry.role.lower() for w in said)]
        if fit:
            actor.entries = _latest(fit)
            if actor.note.startswith("no date"):
                actor.note, actor.conf = "no date: the role named by the title", 0.85
    entry: Entry | None = None
    ambiguous = False
    conf = 0.95
    if actor is not None:
        entry, how, ambiguous = _pick(actor, ms, priors)
        if entry is not None and entry is not actor.entries[0]:
            actor.entries = [entry, *(x for x in actor.entries if x is not entry)]
        if how:
            parts.append(how)
            conf -= 0.15
        conf *= actor.conf
        if actor.note:
            parts.append(actor.note)

    # -- the sector -----------------------------------------------------------------------------
    sector: str | None = None
    if head is not None:
        sector = head.e.sector
        if head.note:  # a fuzzy agent noun
            parts.append(f"'{head.text}' ~ '{head.e.name}' ({head.note})")
            conf *= head.conf
        if head.e.role == "member":
            prev = [m for m in ms if m.j <= head.i and m.e.role != "modifier" and not m.ignored
                    and (m.kind == "agent" or len({e.sector for e in m.entries}) == 1)]
            nxt = [m for m in ms if m.i > head.i and m.i >= p and m.e.role != "modifier" and not m.ignored
                   and m.kind != "country" and len({e.sector for e in m.entries}) == 1]
            src = prev[-1] if prev and prev[-1].kind != "country" else (nxt[0] if nxt and not prev else None)
            if src is not None and src.e.sector and src.e.sector != "GOV":
                sector = src.e.sector
                parts.append(f"{head.e.role} '{head.text}' takes {sector} from '{src.text}'")
        if modifiers and sector in MODIFIES.get(modifiers[-1].e.sector, ()):
            sector = modifiers[-1].e.sector
            parts.append(f"modifier '{modifiers[-1].text}' ({sector})")
    elif ethnic_note:
        sector = "CVL"
    elif any(m.ethnic for m in ms):
        sector = "CVL"

    # -- compose --------------------------------------------------------------------------------
    country: str | None = None
    name: str | None = None
    code: str | None = None
    if actor is not None and entry is not None:
        e = entry
        country, name = e.country, e.name
        if e.kind == "person":
            if actor.former:
                sector = "ELI"
                parts.append("former official (ELI)")
            elif head is not None and head.i > actor.i and sector is not None:
                pass  # "Assad's forces", "the Obama administration": the head noun is the actor
            elif head is None or head.e.role in ("title", "member") or sector is None:
                sector = e.sector if not modifiers else sector
            code = _code(country, sector, e)
            conf = min(conf, 0.95)
        elif e.kind in ("organization", "group", "seat"):
            if head is None or (head.i < actor.i and head.e.role == "title"):
                sector = e.sector
            elif head.e.role == "member" and sector == head.e.sector and e.sector not in ("GOV", *INTL) \
                    and head.i > actor.i:
                sector = e.sector  # "Hamas spokesman" -> REB
            code = _code(country, sector, e)
        elif e.kind == "capital":
            if head is None:
                if locative or actor.i >= p:
                    sector, conf = None, conf * 0.55
                    parts.append("capital as a location")
                else:
                    sector, conf = "GOV", conf * 0.85
                    parts.append("capital as a metonym for the government")
            code = _code(country, sector)
            name = e.name
        else:  # country name or demonym
            if head is None and not ethnic_note and (e.role or "").startswith("people"):
                sector = "CVL"
                parts.append("an ethnic or religious community (CVL)")
            elif (e.role or "").startswith("people") and head is not None and head.e.role == "member" \
                    and sector in ("GOV", "PTY"):
                sector = "ELI"  # "Yoruba leaders": leaders of a community, not of a state
                parts.append("leaders of a community (ELI)")
            elif head is None and not ethnic_note and _plural_demonym(actor) and counted(norm, actor.i):
                sector = "CVL"  # "168 Liberians", "thousands of Iraqis": people, not the state
                parts.append(f"people counted ('{' '.join(orig[max(0, actor.i - 2):actor.j])}'): civilians (CVL)")
            elif head is None and not ethnic_note and e.role == "demonym" and not actor.text.lower().endswith("s"):
                conf *= 0.75  # a bare adjective ("Hungarian") is usually part of a larger phrase
            code = _code(country, sector)
        if ethnic_note:
            parts.append(ethnic_note)
        if actor.i >= p:
            conf *= 0.9
        support = [m for m in actors_main if m is not actor and m.kind in ("country", "capital", "seat")
                   and len(m.entries) == 1 and m.e.country == country and not ethnic_note]
        parts[0:0] = [_describe(m) for m in support] + [_describe(actor)]
        if head is not None and head is not actor:
            parts.insert(0, _describe(head))
        others = list(dict.fromkeys(m.e.country for m in actors_main if m is not actor and m.kind != "person"
                                    and len(m.entries) == 1 and m.e.country != country))
        if others:
            parts.append(f"also in the phrase: {', '.join(others)}")
            if e.kind == "person" and any(m.i < actor.i for m in actors_main if m.e.country in others):
                conf *= 0.8  # "Iraqi President X" where X is known as someone else's
        if ambiguous:
            parts.append("ambiguous")
    elif actor is not None:  # ambiguous, nothing decided it
        agreed = lambda attr: (lambda vals: vals.pop() if len(vals) == 1 else None)({getattr(x, attr) for x in actor.entries})
        country = agreed("country")
        if head is None:
            sector = agreed("sector")
        code = _code(country, sector) if country else None
        conf = 0.3
        names = "; ".join(dict.fromkeys(f"{x.name} ({x.code})" for x in actor.entries))
        parts.insert(0, f"'{actor.text}' is ambiguous: {names}")
        if head is not None:
            parts.insert(0, _describe(head))
    else:  # agent nouns only
        ethnic = [m for m in ms if m.ethnic]
        if head is None and not ethnic:
            return None
        if head is not None:
            parts.insert(0, _describe(head))
        if ethnic:
            parts.insert(0, f"'ethnic {ethnic[0].text}' is a community, not {ethnic[0].e.country}")
            if head is None:
                sector = "CVL"
        if sector in INTL:
            country, code, conf = sector, sector, 0.6
            parts.append(f"generic {sector} (no named organisation)")
        elif priors and not (head is not None and head.text.lower() in _no_prior()):
            country = priors[0]
            code = _code(country, sector)
            conf = 0.4
            parts.append(f"country {country} from the article context (weak prior)")
        else:
            conf = 0.5
            parts.append("no country in the phrase")
        name = None
    for m in ms:
        if m.ignored:
            parts.append(m.ignored)
    return Resolution(code, country, sector, name, round(max(0.0, min(conf, 1.0)), 3), " + ".join(parts),
                      candidates, ambiguous)


@lru_cache(maxsize=1)
def _no_prior() -> frozenset[str]:
    """Agent nouns that do not take the article's country prior (data/agents_no_prior.txt)."""
    text = resources.files("eventwatch.actors").joinpath("data/agents_no_prior.txt").read_text(encoding="utf-8")
    return frozenset(x.strip().lower() for x in text.splitlines() if x.strip() and not x.startswith("#"))


def resolve_cached(text: str, date=None, priors: Sequence[str] = ()) -> Resolution | None:
    """Alias of :func:`resolve_phrase` (which memoises by default), kept for callers that say so."""
    return resolve_phrase(text, date, priors)
