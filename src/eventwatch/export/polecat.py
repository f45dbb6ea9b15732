"""POLECAT preset: PLOVER 2.0 JSON records, one per line.

Field names follow the PLOVER manual's data-interchange chapter (``actor``/``recipient`` entity
lists, ``event``, ``mode``, ``context``, ``event_loc`` with ``resolution``, ``event_text``,
``text_info`` offsets, ``cite_info``), plus the names of the POLECAT/NGEC release records
(``event_type``, ``event_mode``, ``contexts``, ``story_id``, ``publisher``, ``headline``,
``pub_date``, ``version``) and eventwatch's own evidence fields. Mentions of the same trigger
with compound actors become one record with actor lists, as PLOVER prescribes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone

from eventwatch.export.codes import admin1_name, country_name, is_country, split_actor
from eventwatch.store.query import EventFilter, iter_event_rows

# PLOVER auxiliary modes (carried in ``context``) for eventwatch modalities.
AUXILIARY = {"intended": "future", "hypothetical": "hypothetical", "negated": "negation"}
RESOLUTION = {"point": 4, "admin1": 2, "country": 1}  # PLOVER: 5 sub-city … 1 country


def _entity(row, side: str) -> dict | None:
    code = row[f"{side}_code"]
    if code is None and row[f"{side}_text"] is None:
        return None
    parts = split_actor(code, row[f"{side}_country"], row[f"{side}_sector"])
    top = parts["country"] or parts["group"] or (row[f"{side}_country"] or "")
    return {
        "code": top or None, "sector": row[f"{side}_sector"], "entity_text": row[f"{side}_text"],
        "identifier_text": row[f"{side}_name"], "actor_code": code,
        "start": row[f"{side}_start"], "end": row[f"{side}_end"], "confidence": row[f"{side}_confidence"],
    }


def _location(row) -> dict | None:
    if row["geonameid"] is None and row["latitude"] is None:
        return None
    feature = row["place_feature"] or ""
    precision = row["place_precision"]
    res = RESOLUTION.get(precision, 4)
    if precision == "point" and feature.startswith("PPLX"):
        res = 5
    return {
        "extracted_place": row["place_text"], "resolved_place": row["place_name"], "geonameid": row["geonameid"],
        "lat": row["latitude"], "lon": row["longitude"],
        "city": row["place_name"] if feature.startswith("PPL") else None, "district": None,
        "province": admin1_name(row["place_admin1"]) or None, "country": country_name(row["place_country"]) or None,
        "country_code": row["place_country"] if is_country(row["place_country"]) else None,
        "feature_class": feature[:1] or None, "feature_code": feature or None, "resolution": res,
        "start": row["place_start"] if (row["place_start"] or -1) >= 0 else None,
        "end": row["place_end"] if (row["place_end"] or -1) >= 0 else None,
    }


def _key(row) -> tuple:
    return (row["article_id"], row["sentence_index"], row["trigger_start"], row["cameo"], row["modality"], row["parent"])


def _record(rows: list, coded: str) -> dict:
    first = rows[0]
    actors, recipients, ids = [], [], []
    for r in rows:
        ids.append(r["id"])
        for side, bucket in (("source", actors), ("target", recipients)):
            ent = _entity(r, side)
            if ent and ent not in bucket:
                bucket.append(ent)
    codes = lambda b: sorted((e["actor_code"] or "", e["entity_text"] or "") for e in b)  # noqa: E731
    if len(rows) > 1 and recipients and codes(actors) == codes(recipients):
        recipients = []  # reciprocal: all entities are actors, no recipient
    context = [c for c in (first["plover_context"] or "").split(";") if c]
    if first["modality"] in AUXILIARY:
        context.append(AUXILIARY[first["modality"]])
    mode = [first["plover_mode"]] if first["plover_mode"] else []
    event = first["plover_event"]
    return {
        "id": first["id"], "date": first["date"], "actor": actors, "recipient": recipients,
        "event": [event], "mode": mode, "context": context,
        "event_loc": _location(first), "event_text": [first["sentence_text"]],
        "quad_code": first["quad_class"], "event_scale": first["goldstein"], "link": first["parent"],
        "text_info": {"sequence": first["sentence_index"], "start": first["sentence_start"],
                      "end": first["sentence_end"],
                      "trigger": {"text": first["trigger_text"], "start": first["trigger_start"],
                                  "end": first["trigger_end"]}},
        "cite_info": {"url": first["url"], "title": first["title"], "publication": first["outlet"],
                      "language": "en", "coder": first["coder_version"], "codebook": "plover-2.0 (via CAMEO)"},
        "coder": first["coder_version"], "coded_date": coded,
        "comment": f"modality: {first['modality']}",
        # POLECAT / NGEC release names
        "event_type": event, "event_mode": mode, "contexts": context, "story_id": first["article_id"],
        "publisher": first["outlet"], "headline": first["title"], "pub_date": first["published"],
        "version": first["coder_version"],
        # eventwatch evidence
        "cameo": first["cameo"], "modality": first["modality"],
        "attributed_to": ({"text": first["attributed_text"], "code": first["attributed_code"],
                           "start": first["attributed_start"], "end": first["attributed_end"]}
                          if first["attributed_text"] or first["attributed_code"] else None),
        "date_precision": first["date_precision"], "eventwatch_ids": ids,
    }


def iter_polecat(store, f: EventFilter) -> Iterator[str]:
    """PLOVER records as JSON lines. Mentions without a PLOVER type (CAMEO 01 statements) are left out."""
    coded = datetime.now(timezone.utc).date().isoformat()
    group: list = []
    for row in iter_event_rows(store, f, "date"):
        if row["plover_event"] is None:
            continue
        if group and _key(row) != _key(group[0]):
            yield json.dumps(_record(group, coded), ensure_ascii=False) + "\n"
            group = []
        group.append(row)
    if group:
        yield json.dumps(_record(group, coded), ensure_ascii=False) + "\n"
