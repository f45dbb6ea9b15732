"""Who accuses whom of what, how often, over time.

Accusations come from coded ACCUSE events (their nested alleged events give the "of what")
and from breaches of agreements alleged in the text (:mod:`eventwatch.tracking.mentions`).
:func:`network` aggregates them into edges accuser → accused with counts per alleged event type
and per week, and flags **mutual accusation spikes**: weeks in which two sides accuse each
other and their exchange is well above its usual level.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from datetime import date, timedelta

from eventwatch.tracking.mentions import Mention

STATE_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "ELI", "PTY", "MED", "JRN", "BUS", "CVL", "EDU"}
MIN_SPIKE = 3  # at least this many accusations between the two sides that week
SPIKE_FACTOR = 2.0  # and this many times their mean weekly exchange over the other weeks


def _accuse_id(article_id: str, *parts) -> str:
    return hashlib.sha1("|".join([article_id, *map(str, parts)]).encode()).hexdigest()[:16]


def from_events(article_id: str, events: list[dict]) -> list[dict]:
    """Accusation rows from an article's coded ACCUSE events (factual, with a target)."""
    children: dict[str, list[dict]] = defaultdict(list)
    for e in events:
        if e["parent"]:
            children[e["parent"]].append(e)
    out = []
    for e in events:
        if e["plover"]["event"] != "ACCUSE" or e["parent"] or not e["target"] or not e["source"]:
            continue
        if e["modality"] not in ("asserted", "reported"):
            continue
        alleged = children.get(e["id"], [])
        a = alleged[0] if alleged else None
        out.append(_row(article_id, e["id"], e["date"], e["source"], e["target"], e["cameo"]["code"],
                        a["cameo"]["code"] if a else None, a["plover"]["event"] if a else None,
                        a["trigger"]["text"] if a else None, e["modality"], e["sentence"], "event"))
    return out


def from_breaches(article_id: str, mentions: list[Mention], links: dict[int, tuple], existing: list[dict]) -> list[dict]:
    """Rows for alleged breaches with an accuser and an accused; a breach already present as an
    ACCUSE event of the same sentence and sides only gets the agreement linked to it."""
    from eventwatch.events import codes

    out = []
    try:
        violate = codes.lookup("196").plover_event
    except KeyError:  # pragma: no cover
        violate = None
    for m in mentions:
        link = links.get(m.cluster)
        for s in m.states:
            if s.state != "breach_alleged" or s.accuser is None or s.accused is None:
                continue
            if (s.accuser.country or s.accuser.code) == (s.accused.country or s.accused.code):
                continue
            sides = ((s.accuser.country or s.accuser.code), (s.accused.country or s.accused.code))
            same = [x for x in existing + out if x["sentence_start"] == m.sentence_start
                    and ((x["accuser_country"] or x["accuser_code"]), (x["accused_country"] or x["accused_code"])) == sides]
            if same:
                for x in same:
                    x["agreement_id"] = x["agreement_id"] or (link[0] if link else None)
                    x["alleged_cameo"] = x["alleged_cameo"] or "196"
                    x["alleged_event"] = x["alleged_event"] or violate
                continue
            sentence = {"index": m.sentence_index, "start": m.sentence_start, "end": m.sentence_end,
                        "text": m.sentence_text}
            row = _row(article_id, f"breach:{s.cue_start}:{s.accused.code}", s.date.date,
                       s.accuser.brief(), s.accused.brief(),
                       None, "196", violate, s.cue, s.modality, sentence, "breach")
            row["agreement_id"] = link[0] if link else None
            out.append(row)
    return out


def _row(article_id, key, day, src: dict, tgt: dict, cameo, alleged_cameo, alleged_event, alleged_text,
         modality, sentence: dict, origin: str) -> dict:
    return {
        "id": _accuse_id(article_id, key, src.get("code"), tgt.get("code")), "article_id": article_id,
        "event_id": key if origin == "event" else None, "date": day,
        "accuser_text": src.get("text"), "accuser_code": src.get("code"), "accuser_country": src.get("country"),
        "accuser_sector": src.get("sector"), "accused_text": tgt.get("text"), "accused_code": tgt.get("code"),
        "accused_country": tgt.get("country"), "accused_sector": tgt.get("sector"), "cameo": cameo,
        "alleged_cameo": alleged_cameo, "alleged_event": alleged_event, "alleged_text": alleged_text,
        "agreement_id": None, "modality": modality, "sentence_index": sentence.get("index"),
        "sentence_start": sentence.get("start"), "sentence_end": sentence.get("end"),
        "sentence_text": sentence.get("text"), "origin": origin,
    }


# --- the network ------------------------------------------------------------------------------
def node(code: str | None, country: str | None, sector: str | None, level: str = "country") -> str | None:
    """The network node of an actor: ``actor`` keeps the code; ``country`` folds state organs
    (government, military, police, …) into their country and keeps non-state actors
    (rebels, opposition, IGOs) apart."""
    if level == "actor" or not country or len(country) != 3:
        return code or country
    if sector is None or sector in STATE_SECTORS:
        return country
    return code or country


def _monday(day: str) -> str:
    d = date.fromisoformat(day[:10])
    return (d - timedelta(days=d.weekday())).isoformat()


def network(rows: list[dict], level: str = "country", min_spike: int = MIN_SPIKE,
            factor: float = SPIKE_FACTOR) -> dict:
    """Edges accuser → accused with counts, alleged event types and weekly series; mutual spikes."""
    edges: dict[tuple[str, str], dict] = {}
    weeks_all: set[str] = set()
    for r in rows:
        a = node(r["accuser_code"], r["accuser_country"], r["accuser_sector"], level)
        b = node(r["accused_code"], r["accused_country"], r["accused_sector"], level)
        if not a or not b or a == b:
            continue
        e = edges.setdefault((a, b), {"accuser": a, "accused": b, "count": 0, "alleged": Counter(),
                                      "weeks": Counter(), "first": None, "last": None, "evidence": []})
        e["count"] += 1
        e["alleged"][r["alleged_event"] or r["alleged_cameo"] or "unspecified"] += 1
        if r["date"]:
            w = _monday(r["date"])
            e["weeks"][w] += 1
            weeks_all.add(w)
            e["first"] = min(filter(None, [e["first"], r["date"]]))
            e["last"] = max(filter(None, [e["last"], r["date"]]))
        e["evidence"].append({"article_id": r["article_id"], "date": r["date"], "sentence": r["sentence_text"],
                              "start": r["sentence_start"], "end": r["sentence_end"], "origin": r["origin"],
                              "agreement_id": r["agreement_id"], "alleged": r["alleged_cameo"]})
    spikes = mutual_spikes(edges, weeks_all, min_spike, factor)
    nodes = Counter()
    for (a, b), e in edges.items():
        nodes[a] += e["count"]
        nodes[b] += e["count"]
    out_edges = []
    for e in sorted(edges.values(), key=lambda e: (-e["count"], e["accuser"], e["accused"])):
        out_edges.append({**e, "alleged": dict(e["alleged"].most_common()), "weeks": dict(sorted(e["weeks"].items())),
                          "mutual": (e["accused"], e["accuser"]) in edges})
    return {"level": level, "nodes": [{"id": n, "accusations": k} for n, k in nodes.most_common()],
            "edges": out_edges, "mutual_spikes": spikes}


def mutual_spikes(edges: dict, weeks_all: set[str], min_spike: int = MIN_SPIKE,
                  factor: float = SPIKE_FACTOR) -> list[dict]:
    """Weeks where two sides accuse each other (both directions) with at least ``min_spike``
    accusations between them and ``factor`` × their mean weekly exchange over the other weeks
    (zero-filled from the first to the last week of all accusations)."""
    if not weeks_all:
        return []
    first, last = date.fromisoformat(min(weeks_all)), date.fromisoformat(max(weeks_all))
    span = [(first + timedelta(weeks=i)).isoformat() for i in range((last - first).days // 7 + 1)]
    out = []
    seen = set()
    for (a, b) in edges:
        if (b, a) not in edges or (b, a) in seen:
            continue
        seen.add((a, b))
        ab, ba = edges[a, b]["weeks"], edges[b, a]["weeks"]
        for w in span:
            if not ab.get(w) or not ba.get(w):
                continue
            total = ab[w] + ba[w]
            others = [ab.get(x, 0) + ba.get(x, 0) for x in span if x != w]
            base = sum(others) / len(others) if others else 0.0
            if total >= min_spike and total >= factor * base:
                out.append({"sides": sorted([a, b]), "week": w, f"{a}->{b}": ab[w], f"{b}->{a}": ba[w],
                            "total": total, "baseline": round(base, 2)})
    return sorted(out, key=lambda x: (x["week"], x["sides"]))
