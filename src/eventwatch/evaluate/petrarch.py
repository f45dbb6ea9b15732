"""PETRARCH validation/unit-test records (XML with ``<Text>`` and ``<EventCoding>``).

The records use fictional actors (Arnor, Gondor…) and the test suite's own small
dictionaries, so by default only event codes and structure are scored: whether the
sentence yields an event, the CAMEO root, and the full code. With ``--actors FILE``
(PETRARCH actor/agent dictionaries, imported for the run) source and target codes
are scored as well.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from eventwatch.evaluate.metrics import PRF
from eventwatch.evaluate.sentences import code_texts, top_level


def load(path: str | Path) -> list[dict]:
    raw = Path(path).read_text(encoding="utf-8", errors="replace")
    raw = re.sub(r"<Parse>.*?</Parse>", "", raw, flags=re.S)  # parser trees are not needed
    root = ET.fromstring(raw)
    out = []
    for s in root.iter("Sentence"):
        text_el = s.find("Text")
        if text_el is None or not (text_el.text or "").strip():
            continue
        date = s.get("date") or ""
        iso = f"{date[:4]}-{date[4:6]}-{date[6:8]}" if re.fullmatch(r"\d{8}", date) else None
        codings = [
            {"source": c.get("sourcecode"), "target": c.get("targetcode"), "event": c.get("eventcode")}
            for c in s.findall("EventCoding") if c.get("eventcode")
        ]
        noevents = any(c.get("noevents") for c in s.findall("EventCoding"))
        out.append({"id": s.get("id"), "category": s.get("category"), "text": " ".join(text_el.text.split()),
                    "date": iso, "codings": [] if noevents else codings})
    return out


def evaluate(path: str | Path, workers: int = 1, errors: bool = False) -> dict:
    recs = load(path)
    events = code_texts(((r["id"], r["text"], r["date"]) for r in recs), workers=workers)
    full, root = PRF(), PRF()
    detect = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    triples = n_codings = 0
    wrong = []
    for r in recs:
        evs = top_level(events[r["id"]])
        gold_codes = {c["event"] for c in r["codings"]}
        pred_codes = {e.cameo for e in evs}
        full.add(gold_codes, pred_codes)
        root.add({c[:2] for c in gold_codes}, {c[:2] for c in pred_codes})
        key = ("tp" if pred_codes else "fn") if gold_codes else ("fp" if pred_codes else "tn")
        detect[key] += 1
        for c in r["codings"]:
            n_codings += 1
            if any(e.cameo == c["event"] and e.source and e.source.code == c["source"]
                   and ((e.target.code if e.target else None) == (c["target"] or None)) for e in evs):
                triples += 1
        if errors and gold_codes != pred_codes:
            wrong.append({"id": r["id"], "category": r["category"], "text": r["text"], "gold": r["codings"],
                          "predicted": [{"source": e.source.code if e.source else None,
                                         "target": e.target.code if e.target else None, "event": e.cameo}
                                        for e in evs]})
    result = {
        "dataset": "petrarch",
        "records": len(recs),
        "codings": n_codings,
        "event_code": {"micro": full.micro()},
        "cameo_root": {"micro": root.micro(), "macro": root.macro()},
        "event_detection": detect,
        "full_triples_correct": triples,
        "full_triple_recall": round(triples / n_codings, 4) if n_codings else 0.0,
    }
    if errors:
        result["errors"] = wrong
    return result
