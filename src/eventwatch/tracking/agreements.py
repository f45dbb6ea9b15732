"""Agreement entities: mentions grouped within an article, linked across articles, and the
lifecycle timeline built from their dated states.

Within an article (:func:`cluster`): a definite or bare mention ("the truce", "the agreement")
refers to the latest compatible agreement of its type, else — "the Franco-Italian accord"
then "the truce" — of the other type (ceasefire and agreement nouns name the same thing); an
indefinite mention with content of its own ("a separate accord to …", "a deal was
struck with the rebels") starts a new one unless an agreement of its type with the same
parties already exists in the article; talks named in the same sentence as an agreement are
the talks on it. Mentions are compatible when their parties and places do not contradict.

Across articles (:func:`link`): each article-level agreement is scored against the known
agreements (detected before, or imported from PA-X / ETH-PRIO) — type, country, parties and
brokers, distance in time — and linked to the best one above :data:`LINK_THRESHOLD`, else it
becomes a new agreement. The score and its reasons are kept on every mention.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from eventwatch.model import EventDate
from eventwatch.tracking.mentions import Mention, StateCue

LINK_THRESHOLD = 0.55
STATE_ORDER = {s: i for i, s in enumerate(
    ("proposed", "negotiated", "signed", "declared", "in_force", "breach_alleged", "collapsed", "revival_talks",
     "renewed", "ended"))}
NAMED_STATES = ("signed", "declared", "in_force", "collapsed", "renewed")
STRONG_PLACES = ("text", "modifier")  # not "uncertain" (an ambiguous toponym) nor "article" (the story's country)
PLACE_RANK = {"text": 2, "modifier": 2, "article": 1, "uncertain": 0}


@dataclass
class Cluster:
    index: int
    type: str
    mentions: list[Mention] = field(default_factory=list)
    countries: set[str] = field(default_factory=set)  # of parties and brokers
    place: str | None = None
    place_strong: bool = False
    place_rank: int = -1
    introduces: bool = False
    definite: bool = False

    def add(self, m: Mention) -> None:
        m.cluster = self.index
        self.mentions.append(m)
        self.countries |= _countries(m)
        if m.place and m.place.get("country"):
            rank = PLACE_RANK.get(m.place.get("source"), 0)
            if self.place is None or rank > self.place_rank:
                self.place, self.place_rank = m.place["country"], rank
                self.place_strong = m.place.get("source") in STRONG_PLACES
        self.definite = self.definite or m.definite

    def date(self) -> str | None:
        dates = [s.date.date for m in self.mentions for s in m.states
                 if s.date.date and s.date.source in ("text", "event")]
        return min(dates) if dates else (self.mentions[0].published or "")[:10] or None


def _countries(m: Mention) -> set[str]:
    return {a.country or a.code for a in m.parties + m.brokers if a.country or a.code}


def _compatible(c: Cluster, m: Mention) -> bool:
    mine = _countries(m)
    if mine and c.countries and not mine & c.countries:
        return False
    mp = m.place.get("country") if m.place and m.place.get("source") in STRONG_PLACES else None
    return not (mp and c.place and c.place_strong and mp != c.place)


def cluster(mentions: list[Mention]) -> list[Cluster]:
    """Group an article's mentions into the agreements it talks about (sets ``Mention.cluster``)."""
    clusters: list[Cluster] = []
    for m in mentions:
        if m.type == "talks":
            same = [x for x in mentions if x.sentence_index == m.sentence_index and x.type != "talks" and x.cluster >= 0]
            later = [x for x in mentions if x.sentence_index == m.sentence_index and x.type != "talks" and x.cluster < 0]
            host = same[0] if same else None
            if host is None and later:
                continue  # decided once the agreement of this sentence is placed (second pass below)
            if host is not None:
                _fold_talks(m, clusters[host.cluster])
                continue
        target = _choose(clusters, m)
        if target is None:
            target = Cluster(index=len(clusters), type=m.type, introduces=m.introduces)
            clusters.append(target)
        elif m.type == "ceasefire" and target.type == "agreement":
            target.type = "ceasefire"  # "the Franco-Italian accord" … "the truce": a ceasefire agreement
        target.add(m)
    for m in mentions:  # talks in a sentence whose agreement came later in it
        if m.cluster < 0 and m.type == "talks":
            host = next((x for x in mentions if x.sentence_index == m.sentence_index and x.type != "talks"
                         and x.cluster >= 0), None)
            if host is not None:
                _fold_talks(m, clusters[host.cluster])
            else:
                c = Cluster(index=len(clusters), type="talks", introduces=m.introduces)
                clusters.append(c)
                c.add(m)
    return clusters


def _choose(clusters: list[Cluster], m: Mention) -> Cluster | None:
    same = [c for c in reversed(clusters) if c.type == m.type and _compatible(c, m)]
    if m.introduces:
        mine = _countries(m)
        return next((c for c in same if mine and c.countries == mine), None)
    if same:
        return same[0]
    if m.type in ("ceasefire", "agreement") and (m.definite or not m.introduces):
        other = "agreement" if m.type == "ceasefire" else "ceasefire"
        cross = [c for c in reversed(clusters) if c.type == other and _compatible(c, m)
                 and (m.definite or m.type == "ceasefire")]
        if cross:
            return cross[0]
    return None


def _fold_talks(m: Mention, host: Cluster) -> None:
    """Talks named beside an agreement are the talks on it: a ``negotiated`` state unless the
    talks' own cue says more (their suspension is not the agreement's collapse)."""
    m.states = [s for s in m.states if s.state in ("negotiated", "revival_talks", "proposed")]
    reviving = any(s.state == "revival_talks" for x in host.mentions if x.sentence_index == m.sentence_index
                   for s in x.states)
    if not m.states and not reviving:  # talks held by the time of the report; the sentence's date is the agreement's
        pub = _date(m.published)
        d = EventDate(pub.isoformat() if pub else None, "day", "reference", None)
        m.states.append(StateCue(state="negotiated", date=d, modality="asserted", cue=m.text,
                                 cue_start=m.start, cue_end=m.end, confidence=0.5))
    m.parties, m.brokers = [], []  # the negotiators are not necessarily the parties
    host.add(m)


def _date(s: str | None) -> date | None:
    try:
        return date.fromisoformat(s[:10]) if s else None
    except ValueError:
        return None


# --- across articles -------------------------------------------------------------------
def agreement_id(seed: str) -> str:
    return "agr-" + hashlib.sha1(seed.encode()).hexdigest()[:12]


def score(c: Cluster, cand: dict) -> tuple[float, list[str]]:
    """How well an article-level agreement fits a known one, with the reasons."""
    s, why = 0.0, []
    if cand["type"] == c.type:
        s += 0.25
        why.append(f"type {c.type}")
    else:
        s += 0.1
        why.append(f"{c.type} named as {cand['type']}")
    if c.place and cand.get("place_country") == c.place:
        s += 0.25 if c.place_strong else 0.15
        why.append(f"place {c.place}")
    elif c.place and c.place_strong and cand.get("place_country"):
        return -1.0, [f"place {c.place} ≠ {cand['place_country']}"]
    elif not (c.place and cand.get("place_country")):
        s += 0.05
    theirs = {p["country"] or p["code"] for p in cand.get("party_rows", []) if p.get("country") or p.get("code")}
    if c.countries and theirs:
        overlap = len(c.countries & theirs) / len(c.countries)
        if overlap == 0:
            return -1.0, [f"parties {sorted(c.countries)} ∩ {sorted(theirs)} = ∅"]
        s += 0.3 * overlap
        why.append(f"parties {sorted(c.countries & theirs)}")
    else:
        s += 0.05
    d = _gap(c.date(), cand.get("dates") or [])
    if d is None:
        s += 0.05
    elif d <= 3:
        s += 0.2
    elif d <= 14:
        s += 0.15
    elif d <= 45:
        s += 0.1
    elif d > 120:
        return -1.0, [f"{d} days apart"]
    if d is not None:
        why.append(f"{d} days from its timeline")
    return round(s, 3), why


def _gap(day: str | None, dates: list[str]) -> int | None:
    d0 = _date(day)
    ds = sorted(x for x in (_date(x) for x in dates) if x)
    if d0 is None or not ds:
        return None
    if ds[0] <= d0 <= ds[-1]:
        return 0
    return min(abs((d0 - ds[0]).days), abs((d0 - ds[-1]).days))


def link(store, clusters: list[Cluster], article) -> dict[int, tuple[str, float, str]]:
    """Link each cluster to an agreement (creating new ones); ``cluster index → (id, confidence, reason)``."""
    out = {}
    for c in clusters:
        if c.type == "talks" and not c.countries:
            continue  # talks with nobody named: nothing to track
        if c.introduces:
            types = (c.type,)
        elif c.type == "ceasefire":
            types = ("ceasefire", "agreement")
        elif c.type == "agreement" and c.definite:
            types = ("agreement", "ceasefire")
        else:
            types = (c.type,)
        best, best_s, best_why = None, -1.0, []
        for cand in store.agreement_candidates(types, c.place if c.place_strong else None):
            s, why = score(c, cand)
            if c.introduces and not (c.countries and c.countries <= {p["country"] or p["code"] for p in cand["party_rows"]}):
                s -= 0.3  # a new agreement ("a separate accord to …") needs the same parties to be an old one
            if s > best_s:
                best, best_s, best_why = cand, s, why
        if best is not None and best_s >= LINK_THRESHOLD:
            out[c.index] = (best["id"], best_s, "; ".join(best_why))
            continue
        first = c.mentions[0]
        aid = agreement_id(f"{article.id}|{first.start}")
        store.upsert_agreement({
            "id": aid, "type": c.type, "name": first.text if first.text[:1].isupper() and not first.definite else None,
            "place_country": c.place, "origin": "detected", "created_from": first.id,
        })
        why = f"new: best candidate scored {best_s:.2f}" if best is not None else "new: no candidate"
        out[c.index] = (aid, 1.0, why)
    return out


# --- timeline -----------------------------------------------------------------------------
def timeline(rows: list[dict]) -> list[dict]:
    """State rows → the dated lifecycle: one entry per (state, date[, accuser, accused]) with all
    its evidence. Undated references ("the collapse of the truce") join the latest earlier entry
    of their state, as do publication-dated mentions of a state already dated from the text."""
    groups: dict[tuple, dict] = {}
    order = sorted(rows, key=lambda r: (r.get("date_source") in ("reference", "publication"), r.get("date") or "9999"))
    for r in order:
        st = r["state"]
        key = (st, r.get("date"))
        if st == "breach_alleged":
            key += (r.get("accuser_code"), r.get("accused_code"))
        elif r.get("date_source") in ("reference", "publication") and st in NAMED_STATES:
            earlier = [k for k in groups if k[0] == st and k[1] and r.get("date") and k[1] <= r["date"]]
            if earlier:
                key = max(earlier, key=lambda k: k[1])
        g = groups.get(key)
        if g is None:
            g = groups[key] = {"state": st, "date": key[1], "date_precision": r.get("date_precision"),
                               "evidence": []}
            if st == "breach_alleged":
                g["accuser"] = _who(r, "accuser")
                g["accused"] = _who(r, "accused")
        g["evidence"].append(_evidence(r))
    out = sorted(groups.values(), key=lambda g: (g["date"] or "9999", STATE_ORDER.get(g["state"], 99)))
    for g in out:
        mods = {e["modality"] for e in g["evidence"]}
        g["modality"] = "asserted" if mods & {"asserted", "record"} else "reported" if "reported" in mods else sorted(mods)[0]
        g["articles"] = len({e["article_id"] for e in g["evidence"] if e.get("article_id")})
        g["records"] = sorted({f"{e['origin']}:{e['record_id']}" for e in g["evidence"] if e.get("record_id")})
    return out


def _who(r: dict, prefix: str) -> dict | None:
    if not r.get(f"{prefix}_code") and not r.get(f"{prefix}_text"):
        return None
    return {"text": r.get(f"{prefix}_text"), "code": r.get(f"{prefix}_code"), "country": r.get(f"{prefix}_country")}


def _evidence(r: dict) -> dict:
    ev = {
        "origin": r["origin"], "article_id": r.get("article_id"), "record_id": r.get("record_id"),
        "sentence": r.get("evidence"), "start": r.get("sentence_start"), "end": r.get("sentence_end"),
        "cue": {"text": r.get("cue"), "start": r.get("cue_start"), "end": r.get("cue_end")} if r.get("cue") else None,
        "modality": r.get("modality"), "date": r.get("date"), "date_source": r.get("date_source"),
        "date_expression": r.get("date_expression"), "confidence": r.get("confidence"),
        "attributed_to": ({"text": r.get("attributed_text"), "code": r.get("attributed_code")}
                          if r.get("attributed_text") or r.get("attributed_code") else None),
        "event_id": r.get("event_id"),
    }
    for k in ("published", "outlet", "url", "title"):
        if r.get(k):
            ev[k] = r[k]
    if r["state"] == "breach_alleged":
        ev["accuser"], ev["accused"] = _who(r, "accuser"), _who(r, "accused")
    return ev


def agreement_record(store, agreement_id: str, full: bool = True) -> dict | None:
    """The public agreement record: ``id``, ``type``, ``parties``/``brokers`` (codes), ``place``,
    ``records``, ``states`` (the timeline) and, with ``full``, the ``mentions``."""
    row = store.agreement_row(agreement_id)
    if row is None:
        return None
    parties: dict[str, list] = {"party": [], "broker": []}
    detail = []
    for p in row["party_rows"]:
        if p["code"] not in parties[p["role"]]:
            parties[p["role"]].append(p["code"])
        detail.append(p)
    rec = {
        "id": row["id"], "type": row["type"], "name": row["name"],
        "parties": parties["party"], "brokers": parties["broker"], "party_detail": detail,
        "place": {"country": row["place_country"], "name": row["place_name"], "geonameid": row["geonameid"]},
        "first_date": row["first_date"], "last_date": row["last_date"], "state": row["state"],
        "origin": row["origin"], "mentions": row["mentions"], "articles": row["articles"],
        "records": [{k: r[k] for k in ("dataset", "record_id", "title")} for r in row["records"]],
        "states": timeline(store.agreement_state_rows(row["id"])),
    }
    if full:
        rec["mention_list"] = [
            {"id": m["id"], "article_id": m["article_id"], "published": m["published"], "outlet": m["outlet"],
             "text": m["text"], "start": m["start"], "end": m["end"], "sentence": m["sentence_text"],
             "link_confidence": m["link_confidence"], "link_reason": m["link_reason"]}
            for m in store.agreement_mention_rows(agreement_id=row["id"])]
        rec["accusations"] = store.accusation_rows(agreement_id=row["id"])
    return rec
