"""Toponym resolution with document context.

Every mention gets gazetteer candidates (name, alias, demonym, "X province" →
X as a division, "northern Syria" → Syria). A candidate's score adds

* a prior: population (log), feature level (country, first-level division,
  capital), how the name matched (primary name, alternate, abbreviation);
* document context, from the *other* toponyms: how much of the article points to
  the candidate's country and first-level division (countries and demonyms
  mentioned, other places' likely countries and states, the dateline, caller
  hints), a "City, State" container right after the mention, and closeness to
  the places already resolved with confidence.

Scores become probabilities with a softmax; context is re-estimated twice
(``eventwatch.places.context``). Two scorers: the learned ranker (default;
``eventwatch.places.ranker``, a conditional logit trained on the development
halves by ``scripts/train_geo_ranker.py``) and the hand-set weights (the
fallback, ``ranker="hand"``, used when the model file is missing). The hand-set
weights are few and readable; they were set by looking at error patterns on the
development halves of GeoWebNews and LGL (even-numbered articles), the odd halves
being held out (see ``bench/geo.py``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from eventwatch.model import Place
from eventwatch.places.context import Item, demonym_countries, hand_score, outlet_country, outlet_host, resolve_items
from eventwatch.places.gazetteer import (
    ALIAS_ABBREV,
    ALIAS_ALT,
    LEVEL_ADM1,
    LEVEL_ADM2,
    LEVEL_CITY,
    LEVEL_CONTINENT,
    LEVEL_COUNTRY,
    LEVEL_FEATURE,
    Entry,
    Gazetteer,
    get_gazetteer,
)
from eventwatch.places.normalize import norm
from eventwatch.places.ranker import get_ranker
from eventwatch.places.recognize import Mention

_SUFFIX = {
    "province": "adm", "governorate": "adm", "county": "adm2", "parish": "adm2", "state": "adm1",
    "region": "adm", "district": "adm", "oblast": "adm1", "prefecture": "adm", "municipality": "adm2",
    "city": "city", "town": "city", "village": "city", "township": "city", "borough": "city",
}
_DIRECTION = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
              "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
              "southeastern", "southwestern", "upstate", "downstate", "downtown", "greater", "rural", "coastal"}
_LEVEL_PRIOR = {LEVEL_COUNTRY: 1.6, LEVEL_ADM1: 1.1, LEVEL_ADM2: -0.4, LEVEL_CITY: 0.0, LEVEL_FEATURE: 3.5, LEVEL_CONTINENT: 1.6}
W_POP = 0.55


@dataclass(slots=True)
class Candidate:
    entry: Entry
    prior: float
    how: str  # name | alias | abbrev | demonym | suffix | direction
    kind: int = 0  # gazetteer alias kind (ALIAS_NAME / ALIAS_ALT / ALIAS_ABBREV)
    want: int = 0  # +1 / -1: the level a suffix asks for ("X County" → ADM2) matches / does not
    namesake: bool = False  # a division sharing its name with a city inside it
    upper_short: bool = False  # "EU", "SA" matched a name that is not an abbreviation
    country_alias: bool = False  # an alias while a country has this exact name


def precision_of(e: Entry) -> str:
    if e.level in (LEVEL_COUNTRY, LEVEL_CONTINENT):
        return "country"
    if e.level == LEVEL_ADM1:
        return "admin1"
    return "point"


def _looks_abbrev(text: str) -> bool:
    t = text.strip()
    return "." in t or (t.isupper() and len(t) <= 4)


def candidates(gaz: Gazetteer, text: str) -> list[Candidate]:
    """Gazetteer candidates for a toponym string, each with its prior score."""
    raw = text.strip()
    if raw.endswith(("'s", "’s")):
        raw = raw[:-2]
    key = norm(raw)
    if not key:
        return []
    abbrev = _looks_abbrev(raw)
    found: dict[int, Candidate] = {}

    def add(entries, how: str, bonus: float = 0.0, want: str | None = None) -> None:
        for e, kind in entries:
            p = _prior(e, kind, abbrev) + bonus
            w = 0
            if want:
                ok = (want == "city" and e.level == LEVEL_CITY) or (want == "adm" and e.level in (LEVEL_ADM1, LEVEL_ADM2)) \
                    or (want == "adm1" and e.level == LEVEL_ADM1) or (want == "adm2" and e.level == LEVEL_ADM2)
                p += 1.5 if ok else -1.5
                w = 1 if ok else -1
            h = how if kind < ALIAS_ALT else ("abbrev" if kind == ALIAS_ABBREV else "alias")
            if e.geonameid not in found or found[e.geonameid].prior < p:
                found[e.geonameid] = Candidate(e, p, h, kind=kind, want=w)

    words = key.split()
    want = _SUFFIX.get(words[-1]) if len(words) > 1 else None
    add(gaz.lookup(key, normalised=True), "name", want=want if want in ("adm1", "adm2", "adm") else None)
    if want:
        add(gaz.lookup(" ".join(words[:-1]), normalised=True), "suffix", want=want)
    if len(words) > 2 and words[1] == "of" and words[0] in _SUFFIX:
        add(gaz.lookup(" ".join(words[2:]), normalised=True), "suffix", want=_SUFFIX[words[0]])
    if not found and len(words) > 1 and words[0] in _DIRECTION:
        add(gaz.lookup(" ".join(words[1:]), normalised=True), "direction", bonus=-0.3)
    iso2 = gaz.demonyms.get(key) or (gaz.demonyms.get(key[:-1]) if key.endswith("s") else None)
    if iso2 and not any(c.entry.level in (LEVEL_COUNTRY, LEVEL_CONTINENT) for c in found.values()):
        e = gaz.get(int(iso2[1:])) if iso2.startswith("@") else gaz.country(iso2)
        if e:
            found[e.geonameid] = Candidate(e, _prior(e, 0, False) + 0.5, "demonym")
    _prefer_cities_over_namesakes(found)
    if raw.isupper() and len(raw.replace(".", "")) <= 3:  # "EU", "SA": an abbreviation, not a village "Eu"
        for c in found.values():
            if c.how == "name" and not c.entry.name.isupper():
                c.prior -= 2.5
                c.upper_short = True
    if any(c.entry.level == LEVEL_COUNTRY and c.how == "name" for c in found.values()):
        for c in found.values():  # "Mexico" is the country, not Mexico City's alternate name
            if c.how == "alias":
                c.prior -= 1.5
                c.country_alias = True
    return sorted(found.values(), key=lambda c: -c.prior)


def _prior(e: Entry, kind: int, abbrev: bool) -> float:
    p = W_POP * math.log10((e.population or 0) + 10) + _LEVEL_PRIOR.get(e.level, 0.0)
    if e.feature == "PPLC":
        p += 1.3
    if kind == ALIAS_ALT:
        p -= 0.7
    elif kind == ALIAS_ABBREV:
        p -= 0.2 if abbrev else 2.5
    return p


def _prefer_cities_over_namesakes(found: dict[int, Candidate]) -> None:
    """A division that shares its name with a city inside it ("Aleppo" governorate) is the city's namesake."""
    cities = {(c.entry.country, c.entry.admin1) for c in found.values() if c.entry.level == LEVEL_CITY and c.how == "name"}
    for c in found.values():
        if c.entry.level in (LEVEL_ADM1, LEVEL_ADM2) and c.how not in ("suffix",) and (c.entry.country, c.entry.admin1) in cities:
            c.prior -= 1.4
            c.namesake = True


# ---------------------------------------------------------------- document context


def _iso2(gaz: Gazetteer, code: str) -> str | None:
    code = code.strip().upper()
    if len(code) == 2 and code in gaz.iso3:
        return code
    for k, v in gaz.iso3.items():
        if v == code:
            return k
    return None


def _link_containers(text: str, items: list[Item]) -> None:
    for i, it in enumerate(items[:-1]):
        nxt = items[i + 1]
        gap = text[it.mention.end:nxt.mention.start]
        if gap.strip() in (",",) and len(gap) <= 3:
            it.container = i + 1


def _to_place(gaz: Gazetteer, m: Mention, c: Candidate | None, prob: float, n_cands: int) -> Place:
    if c is None:
        return Place(text=m.text, start=m.start, end=m.end, confidence=0.0, reason="not in the gazetteer")
    e = c.entry
    conf = prob * (0.95 if n_cands > 1 else 0.9)
    if c.how in ("alias", "direction"):
        conf *= 0.85
    reason = f"{c.how} match; {n_cands} candidate{'s' if n_cands != 1 else ''}; p={prob:.2f}"
    return Place(
        text=m.text, start=m.start, end=m.end, name=e.name, geonameid=e.geonameid,
        country=gaz.iso3.get(e.country or "", None), admin1=e.admin1, lat=e.lat, lon=e.lon,
        feature=e.feature, precision=precision_of(e), confidence=round(conf, 3), reason=reason,
    )


def resolve_mentions(
    text: str,
    mentions: Sequence[Mention],
    dateline: str | None = None,
    hint_countries: Sequence[str] = (),
    gaz: Gazetteer | None = None,
    guess_unknown: bool = False,
    url: str | None = None,
    ranker=None,
    capture: list | None = None,
) -> list[Place]:
    """Resolve given toponym mentions (e.g. gold spans) in ``text``; one Place per mention, same order.

    With ``guess_unknown`` a toponym the gazetteer lacks (a street, a building) is
    placed at the article's focus (its most likely first-level division, else
    country) with confidence 0.05 and ``geonameid`` None — a 161 km guess, marked as such.
    ``url``: the article's address; a country-code domain (``.co.uk``) is weak evidence for
    that country. ``ranker``: ``None``/``"learned"`` (the packaged learned ranker, the hand-set
    weights if it is missing), ``"hand"`` (the hand-set weights), a model path or a ``Ranker``.
    ``capture`` (training) receives each mention's last-round ``(item, ctxs)``.
    """
    gaz = gaz or get_gazetteer()
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
    items = [Item(mentions[i], norm(mentions[i].text), candidates(gaz, mentions[i].text), []) for i in order]
    _link_containers(text, items)
    base_country: dict[str, float] = demonym_countries(gaz, text)
    for h in hint_countries:
        iso2 = _iso2(gaz, h)
        if iso2:
            base_country[iso2] += 3.0
    dl_entry = None
    if dateline:
        dc = candidates(gaz, dateline)
        if dc:
            dl_entry = dc[0].entry
            if dl_entry.country:
                base_country[dl_entry.country] += 3.0
    model = get_ranker(ranker)
    resolve_items(gaz, text, items, base_country, dl_entry, model or hand_score,
                  outlet_country=outlet_country(url), host=outlet_host(url), capture=capture)
    places: list[Place | None] = [None] * len(mentions)
    for i, it in zip(order, items):
        if it.cands:
            j = max(range(len(it.probs)), key=it.probs.__getitem__)
            places[i] = _to_place(gaz, it.mention, it.cands[j], it.probs[j], len(it.cands))
        else:
            places[i] = _to_place(gaz, it.mention, None, 0.0, 0)
    if guess_unknown:
        focus = _focus(gaz, [p for p in places if p and p.geonameid is not None])
        for p in places:
            if p is not None and p.geonameid is None and focus is not None:
                p.lat, p.lon, p.country, p.admin1 = focus.lat, focus.lon, gaz.iso3.get(focus.country or ""), focus.admin1
                p.precision = precision_of(focus)
                p.confidence = 0.05
                p.reason = f"not in the gazetteer; placed at the article focus ({focus.name})"
    return places  # type: ignore[return-value]


def _focus(gaz: Gazetteer, places: list[Place]) -> Entry | None:
    """The article's focus: the most-mentioned point place, else first-level division, else country."""
    pts: dict[int, float] = defaultdict(float)
    adm: dict[str, float] = defaultdict(float)
    for p in places:
        if p.precision == "point" and p.geonameid:
            pts[p.geonameid] += p.confidence
        if p.admin1:
            adm[p.admin1] += p.confidence
    if pts:
        best = max(pts, key=pts.__getitem__)
        e = gaz.get(best)
        if e is not None:
            return e
    if adm:
        e = gaz.admin1(max(adm, key=adm.__getitem__))
        if e is not None:
            return e
    for p in places:
        if p.geonameid:
            return gaz.get(p.geonameid)
    return None
