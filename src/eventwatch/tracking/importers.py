"""Curated agreement records as known agreements: PA-X (Peace Agreements Database) and
ETH/PRIO Civil Conflict Ceasefires, from their CSV layouts.

* **PA-X** row → an agreement (``ceasefire`` when ``Stage`` is ``Cea`` or ``StageSub`` a
  ceasefire code) with its signatories (``Part``) as parties, third parties (``ThrdPart``) as
  brokers, ``Loc1ISO``/``Loc2ISO`` as place and a ``signed`` state (``declared`` for unilateral
  documents) on ``Dat``.
* **ETH/PRIO** ceasefire (``cf_id``, one row per actor) → a ceasefire with the actors as parties,
  ``mediator_send`` as brokers, ``declared`` on ``cf_dec_*``, ``in_force`` on ``cf_effect_*`` and,
  when it ended, ``collapsed`` (``ended`` = 1) or ``ended`` on ``end_*``. A ceasefire that ended
  with code 4 on the day another one in the same country, with the same mediators, was declared
  is continued by it: one agreement, the second declaration a ``renewed`` state. (The ``ended``
  labels are not published; 1 = broke down and 4 = superseded/extended are read from the cases.)
* ETH/PRIO records join the PA-X record named by ``pax_id``, else a PA-X ceasefire agreement of
  the same country signed within a day of the declaration whose parties share a side with the
  ceasefire's actors or mediators.

Records are keyed by dataset and id: importing a file again replaces, never duplicates.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

PAX_CEASEFIRE_SUB = {"Ceas", "CeaMix"}
ETH_ENDED = {"1": "collapsed", "4": "superseded"}


def detect_format(path: str | Path) -> str | None:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh), [])
    if "AgtId" in header and "Dat" in header:
        return "pax"
    if "cf_id" in header and "cf_dec_yr" in header:
        return "ethprio"
    return None


def _resolve(text: str, day: str | None, commas: bool = False) -> list[dict]:
    """Actors named in a record's party field ("Russian Federation and United States of America,
    co-chairs of …", "X, signed on behalf of the Lebanese Republic"); with ``commas`` a plain
    list ("USA, Russia")."""
    from eventwatch.actors import resolve_phrase

    out = []
    for piece in re.split(r"[;\n]+", text or ""):
        piece = piece.strip(" .")
        if not piece or piece == "0":
            continue
        m = re.search(r"on behalf of (.+)", piece, re.IGNORECASE)
        head = m.group(1) if m else piece if commas else piece.split(", ")[0]
        for name in re.split(r"\s+and\s+|,\s*", head):
            name = re.sub(r"\([^)]*\)|\[[^\]]*\]", "", name).strip(" .\"'")
            if len(name) < 2 or len(name.split()) > 8:
                continue
            r = resolve_phrase(name, date=day)
            if r is not None and (r.code or r.country) and r.confidence >= 0.6:
                code = r.code or r.country
                if all(a["code"] != code for a in out):
                    out.append({"code": code, "country": r.country, "name": r.name or name, "sector": r.sector})
    return out


def _ymd(y, m, d) -> str | None:
    try:
        y, m, d = int(float(y)), int(float(m)), int(float(d))
        if y < 0 or m < 0:
            return None
        return date(y, m, max(d, 1)).isoformat()
    except (TypeError, ValueError):
        return None


def _near(a: str | None, b: str | None, days: int = 1) -> bool:
    """Two ISO dates at most ``days`` apart (False when either is missing)."""
    if not a or not b:
        return False
    return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days) <= days


def _state(dataset: str, record_id: str, agreement_id: str, state: str, day: str | None, evidence: str,
           note: str = "") -> dict:
    return {
        "id": f"{dataset}-{record_id}-{state}-{day}", "agreement_id": agreement_id, "mention_id": None,
        "article_id": None, "state": state, "date": day, "date_precision": "day", "date_source": "record",
        "date_expression": None, "modality": "record", "cue": note or None, "cue_start": None, "cue_end": None,
        "sentence_index": None, "sentence_start": None, "sentence_end": None, "evidence": evidence,
        "origin": dataset, "record_id": str(record_id), "confidence": 1.0,
    }


def import_file(store, path: str | Path, fmt: str | None = None) -> dict:
    """Import a PA-X or ETH/PRIO CSV; returns counts."""
    fmt = fmt or detect_format(path)
    if fmt == "pax":
        return import_pax(store, path)
    if fmt == "ethprio":
        return import_ethprio(store, path)
    raise ValueError(f"{path}: not a PA-X or ETH/PRIO CSV (no AgtId/Dat or cf_id/cf_dec_yr columns)")


def import_pax(store, path: str | Path) -> dict:
    store.ensure_tracking()
    n = 0
    with open(path, encoding="utf-8-sig", newline="") as fh, store.transaction():
        for row in csv.DictReader(fh):
            if not row.get("AgtId"):
                continue
            _pax_row(store, row)
            n += 1
    return {"dataset": "pax", "records": n}


def _pax_row(store, row: dict) -> str:
    rid = row["AgtId"].strip()
    day = (row.get("Dat") or "")[:10] or None
    typ = "ceasefire" if row.get("Stage") == "Cea" or row.get("StageSub") in PAX_CEASEFIRE_SUB else "agreement"
    parties = _resolve(row.get("Part", ""), day)
    brokers = _resolve(row.get("ThrdPart", ""), day)
    country = (row.get("Loc1ISO") or "").strip() or None
    data = {k: row.get(k) for k in ("AgtId", "Agt", "Dat", "Status", "Agtp", "Stage", "StageSub", "Con", "PPName",
                                    "Loc1ISO", "Loc2ISO", "Part", "ThrdPart")}
    data["_parties"] = [p["code"] for p in parties + brokers]
    aid = store.record_agreement("pax", rid)
    if aid is None:
        aid = _join_pax(store, typ, country, day, parties + brokers) or f"pax-{rid}"
    store.upsert_agreement({"id": aid, "type": typ, "name": row.get("Agt"), "place_country": country,
                            "origin": "imported", "created_from": f"pax:{rid}"})
    store.add_record("pax", rid, aid, row.get("Agt"), data)
    store.set_parties(aid, "pax", [{"role": "party", **_pr(p)} for p in parties] +
                      [{"role": "broker", **_pr(p)} for p in brokers])
    unilateral = "unilateral" in (row.get("Status") or "").lower()
    store.replace_record_states("pax", rid, [_state("pax", rid, aid, "declared" if unilateral else "signed", day,
                                                    f"PA-X {rid}: {row.get('Agt')} ({row.get('Status')})")])
    store.refresh_agreements([aid])
    return aid


def _pr(p: dict) -> dict:
    return {"code": p["code"], "country": p["country"], "name": p["name"], "support": 1}


def _records(store, dataset: str) -> list[tuple[str, dict]]:
    return [(r[0], json.loads(r[1])) for r in store.conn.execute(
        "SELECT agreement_id, data FROM agreement_records WHERE dataset = ?", (dataset,))]


def _sides(codes) -> set[str]:
    return {c[:3] if len(c) >= 3 else c for c in codes}


def _join_pax(store, typ: str, country: str | None, day: str | None, actors: list[dict]) -> str | None:
    """An ETH/PRIO ceasefire already imported that this PA-X ceasefire agreement writes down."""
    if typ != "ceasefire":
        return None
    mine = _sides(a["code"] for a in actors)
    taken = {a for a, _d in _records(store, "pax")}
    for aid, data in _records(store, "ethprio"):
        if aid not in taken and data.get("_country") == country and _near(data.get("_declared"), day) and \
                mine & _sides(data.get("_actors", [])):
            return aid
    return None


def import_ethprio(store, path: str | Path) -> dict:
    store.ensure_tracking()
    groups: dict[str, list[dict]] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("cf_id"):
                groups.setdefault(row["cf_id"].strip(), []).append(row)

    def declared(rows):
        return min(filter(None, (_ymd(r["cf_dec_yr"], r["cf_dec_month"], r["cf_dec_day"]) for r in rows)), default="")

    with store.transaction():
        for cf in sorted(groups, key=lambda k: (declared(groups[k]), int(k) if k.isdigit() else 0)):
            _eth_ceasefire(store, cf, groups[cf])
    return {"dataset": "ethprio", "records": len(groups)}


def _eth_ceasefire(store, cf: str, rows: list[dict]) -> str:
    first = rows[0]
    dec = min(filter(None, (_ymd(r["cf_dec_yr"], r["cf_dec_month"], r["cf_dec_day"]) for r in rows)), default=None)
    eff = min(filter(None, (_ymd(r["cf_effect_yr"], r["cf_effect_month"], r["cf_effect_day"]) for r in rows)),
              default=None)
    end = max(filter(None, (_ymd(r["end_yr"], r["end_month"], r["end_day"]) for r in rows)), default=None)
    ended = next((r["ended"] for r in rows if r.get("ended") not in (None, "", "-1")), None)
    parties = []
    for r in rows:
        for a in _resolve(r.get("actor_name", ""), dec):
            if all(p["code"] != a["code"] for p in parties):
                parties.append(a)
    mediators = first.get("mediator_send", "")
    brokers = _resolve(mediators, dec, commas=True) if first.get("mediator_nego") == "1" else []
    country_r = _resolve(first.get("location", ""), dec)
    country = country_r[0]["country"] if country_r else None
    pax_ids = {r["pax_id"] for r in rows if r.get("pax_id") not in (None, "", "-1")}
    data = {"cf_id": cf, "location": first.get("location"), "actors": sorted({r["actor_name"] for r in rows}),
            "mediators": mediators, "declared": dec, "effective": eff, "ended": ended, "end": end,
            "pax_id": sorted(pax_ids), "link": first.get("link"), "_country": country, "_declared": dec,
            "_actors": [p["code"] for p in parties + brokers]}
    aid = store.record_agreement("ethprio", cf)
    renewal = False
    new = False
    if aid is None:
        for pid in sorted(pax_ids):
            aid = aid or store.record_agreement("pax", str(int(float(pid))))
        if aid is None:
            aid = _continues(store, country, dec, brokers)
            renewal = aid is not None
        if aid is None:
            aid = _join_eth(store, country, dec, parties + brokers)
        new = aid is None
        aid = aid or f"ethprio-{cf}"
    else:
        prev = [d for a, d in _records(store, "ethprio") if a == aid and d["cf_id"] != cf]
        renewal = any(d.get("ended") == "4" and _near(d.get("end"), dec) for d in prev)
    label = f"ETH/PRIO ceasefire {cf} ({first.get('location')}; actors: {', '.join(data['actors'])}; " \
            f"mediators: {mediators or 'none'})"
    store.upsert_agreement({"id": aid, "type": "ceasefire", "name": label if new else None,
                            "place_country": country, "origin": "imported", "created_from": f"ethprio:{cf}"})
    store.add_record("ethprio", cf, aid, label, data)
    store.set_parties(aid, f"ethprio:{cf}", [{"role": "party", **_pr(p)} for p in parties] +
                      [{"role": "broker", **_pr(p)} for p in brokers])
    states = [_state("ethprio", cf, aid, "renewed" if renewal else "declared", dec, label,
                     "extension of the previous ceasefire" if renewal else "")]
    if eff:
        states.append(_state("ethprio", cf, aid, "in_force", eff, label))
    if end and ended != "4":
        states.append(_state("ethprio", cf, aid, ETH_ENDED.get(ended or "", "ended"), end, label,
                             f"ended code {ended}"))
    store.replace_record_states("ethprio", cf, states)
    store.refresh_agreements([aid])
    return aid


def _continues(store, country: str | None, dec: str | None, brokers: list[dict]) -> str | None:
    """The agreement of a ceasefire superseded (ended 4) on the day this one was declared,
    in the same country, with the same mediators."""
    mine = _sides(b["code"] for b in brokers)
    for aid, data in _records(store, "ethprio"):
        if data.get("ended") != "4" or data.get("_country") != country or not _near(data.get("end"), dec):
            continue
        theirs = _sides(_resolve_codes(data.get("mediators", ""), dec))
        if mine and mine == theirs:
            return aid
    return None


def _resolve_codes(text: str, day: str | None) -> list[str]:
    return [a["code"] for a in _resolve(text, day, commas=True)]


def _join_eth(store, country: str | None, dec: str | None, actors: list[dict]) -> str | None:
    """The PA-X ceasefire agreement of the same country signed closest to the declaration (within
    a day) that shares a side and is not yet the record of another ETH/PRIO ceasefire."""
    mine = _sides(a["code"] for a in actors)
    taken = {a for a, _d in _records(store, "ethprio")}
    best = None
    for aid, data in _records(store, "pax"):
        typ = "ceasefire" if data.get("Stage") == "Cea" or data.get("StageSub") in PAX_CEASEFIRE_SUB else "agreement"
        if typ != "ceasefire" or data.get("Loc1ISO") != country or aid in taken or not _near(data.get("Dat"), dec):
            continue
        if mine & _sides(data.get("_parties", [])):
            gap = abs((date.fromisoformat(data["Dat"][:10]) - date.fromisoformat(dec)).days)
            if best is None or gap < best[0]:
                best = (gap, aid)
    return best[1] if best else None

