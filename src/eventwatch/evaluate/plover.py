"""PLOVER gold records (``PLOVER_GSR_CAMEO.txt``): event-type P/R/F1 and actor accuracy.

The gold labels use PLOVER 0.5 names, mapped to 2.0: DEMAND→REQUEST,
DISAPPROVE/INVESTIGATE→ACCUSE, FIGHT→ASSAULT. A sentence's prediction is the set of
PLOVER types of its top-level events (nested, alleged events are not the sentence's
event). Actor accuracy is measured on matched events: the predicted event of the gold
type whose source best agrees with the gold sources. Source accuracy counts the matched
events whose gold names a source; where the gold names none (violence by an unnamed
perpetrator), ``unknown_source_correct`` is the share coded with an unknown source (none,
or unidentified armed forces, ``…UAF``).
"""

from __future__ import annotations

import json
from pathlib import Path

from eventwatch.evaluate.metrics import PRF, confusion
from eventwatch.evaluate.sentences import code_texts, top_level
from eventwatch.events.codes import PLOVER_EVENTS

OLD_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
# Country codes of the CAMEO era that differ from ISO 3166 alpha-3.
LEGACY = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM", "ROM": "ROU", "GMY": "DEU", "ZAR": "COD", "SRP": "SRB"}
NON_STATE = {"IGO", "NGO", "IMG", "ISM", "MNC"}
SECTOR_ALIASES = {"CIV": "CVL"}


def load(path: str | Path) -> list[dict]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    seen: set[str] = set()
    for r in data:
        if r.get("event") in (None, "DOCUMENT") or not r.get("text"):
            continue
        rid = r["id"] if r["id"] not in seen else f"{r['id']}#{len(out)}"  # the gold repeats an id
        seen.add(rid)
        out.append({
            "id": rid,
            "text": r["text"],
            "date": r.get("date"),
            "event": OLD_NAMES.get(r["event"], r["event"]),
            "source": _actors(r.get("source")),
            "target": _actors(r.get("target")),
        })
    return out


def _actors(value) -> list[dict]:
    if isinstance(value, dict):
        value = [value]
    return [a for a in (value or []) if isinstance(a, dict)]


def _gold_country(code: str | None) -> str | None:
    code = (code or "").upper()
    return LEGACY.get(code, code) or None


def _gold_sector(sector: str | None) -> str | None:
    if not sector or sector.startswith("*"):
        return None
    s = sector[:3].upper()
    return SECTOR_ALIASES.get(s, s)


def country_ok(actor, gold: dict) -> bool:
    g = _gold_country(gold.get("code"))
    if actor is None or g is None:
        return False
    if g in NON_STATE:
        return actor.sector == g or (actor.code or "").startswith(g) or (
            actor.country is not None and len(actor.country) == 3 and actor.sector in ("IGO", "NGO") and g in ("IGO", "NGO")
        )
    return actor.country == g


def sector_ok(actor, gold: dict) -> bool:
    g = gold.get("sector")
    if g is not None and g.startswith("*"):
        return True  # unknown in the gold: not scored
    gs = _gold_sector(g)
    s = SECTOR_ALIASES.get(actor.sector, actor.sector) if actor else None
    if _gold_country(gold.get("code")) in NON_STATE:
        return True  # the organisation type is the country part there
    return s == gs


def evaluate(path: str | Path, workers: int = 1, errors: bool = False) -> dict:
    gold = load(path)
    events = code_texts(((g["id"], g["text"], g["date"]) for g in gold), workers=workers)
    prf = PRF()
    pairs = []
    matched = src_n = src_country = src_full = tgt_n = tgt_country = tgt_full = unnamed = unnamed_ok = 0
    misses, false_events, actor_errors = [], [], []
    for g in gold:
        evs = top_level(events[g["id"]])
        pred = {e.plover_event for e in evs if e.plover_event}
        prf.add({g["event"]}, pred)
        pairs.append((g["event"], g["event"] if g["event"] in pred else (sorted(pred)[0] if pred else "none")))
        if g["event"] in pred:
            matched += 1
            cands = [e for e in evs if e.plover_event == g["event"]]
            best = max(cands, key=lambda e: _score(e, g))
            wrong = []  # roles whose actor country is wrong, for --errors
            if not g["source"]:  # the gold names no perpetrator ("were killed in a bombing")
                unnamed += 1
                unnamed_ok += best.source is None or best.source.code is None or best.source.sector == "UAF"
            else:
                src_n += 1
                if any(country_ok(best.source, s) for s in g["source"]):
                    src_country += 1
                    if any(country_ok(best.source, s) and sector_ok(best.source, s) for s in g["source"]):
                        src_full += 1
                else:
                    wrong.append("source")
            if g["target"]:
                tgt_n += 1
                if any(country_ok(best.target, t) for t in g["target"]):
                    tgt_country += 1
                    if any(country_ok(best.target, t) and sector_ok(best.target, t) for t in g["target"]):
                        tgt_full += 1
                else:
                    wrong.append("target")
            if errors and wrong:
                actor_errors.append({"id": g["id"], "wrong": wrong, "gold_source": g["source"],
                                     "gold_target": g["target"], "text": g["text"], "event": _brief(best)})
        elif errors:
            misses.append({"id": g["id"], "gold": g["event"], "predicted": sorted(pred), "text": g["text"],
                           "events": [_brief(e) for e in evs]})
        if errors and pred - {g["event"]}:
            false_events.append({"id": g["id"], "gold": g["event"], "false": sorted(pred - {g["event"]}),
                                 "text": g["text"], "events": [_brief(e) for e in evs if e.plover_event != g["event"]]})
    labels = [x for x in PLOVER_EVENTS if prf.tp[x] + prf.fn[x] > 0]
    result = {
        "dataset": "plover",
        "sentences": len(gold),
        "macro": prf.macro(labels),
        "micro": prf.micro(),
        "per_class": prf.per_class(labels),
        "confusion": confusion(pairs),
        "matched_events": matched,
        "source_country_accuracy": round(src_country / src_n, 4) if src_n else 0.0,
        "source_country_sector_accuracy": round(src_full / src_n, 4) if src_n else 0.0,
        "matched_without_gold_source": unnamed,
        "unknown_source_correct": round(unnamed_ok / unnamed, 4) if unnamed else 0.0,
        "target_country_accuracy": round(tgt_country / tgt_n, 4) if tgt_n else 0.0,
        "target_country_sector_accuracy": round(tgt_full / tgt_n, 4) if tgt_n else 0.0,
        "sentences_with_events": sum(1 for g in gold if top_level(events[g["id"]])),
    }
    if errors:
        result["misses"] = misses
        result["false_events"] = false_events
        result["actor_errors"] = actor_errors  # matched events whose source or target country is wrong
    return result


def _score(e, g) -> int:
    return (2 * any(country_ok(e.source, s) for s in g["source"])
            + any(country_ok(e.target, t) for t in g["target"]))


def _brief(e) -> dict:
    return {
        "cameo": e.cameo, "plover": e.plover_event, "trigger": e.trigger_text,
        "source": e.source.code if e.source else None, "source_text": e.source.text if e.source else None,
        "target": e.target.code if e.target else None, "target_text": e.target.text if e.target else None,
        "modality": e.modality, "rule": e.rule,
    }
