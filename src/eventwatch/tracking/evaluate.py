"""Speaker attribution measured against a hand-built set of quote/speaker pairs.

The gold file (JSONL, ``tests/data/tracking/quotes_gold.jsonl``) has one quote a line::

    {"file": "samples/feeds/meridian-wire-2025.jsonl", "location": "line 1", "kind": "direct",
     "anchor": "This is a small step", "speaker": ["Ekström"]}

``file`` is relative to the repository root, or starts with ``$SHARED`` (the shared reference
directory); ``location`` picks one record of a JSONL/WARC file; the quote starts at ``anchor``
(its first words) or, for third-party text that is not copied into the repository, at
character ``start`` of the extracted body (``check``: the first 10 hex digits of the SHA-1
of the 12 characters there, so a changed extraction is reported instead of mis-scored).
``speaker`` lists accepted strings: a predicted speaker is right when one of them occurs in
its text or name (a carried speaker — "he added" — is the antecedent phrase).

Every quotation-mark span is a gold ``direct`` quote (whole or partial); every reporting verb
with a clausal complement is a gold ``indirect`` quote. A prediction matches a gold quote of
its class when its span contains the gold start (or starts within 2 characters of it).
Precision = right speakers / predictions with a speaker; recall = right speakers / gold.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

CLASSES = {"direct": "direct", "partial": "direct", "indirect": "indirect"}


def load_gold(path: str | os.PathLike) -> list[dict]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                rec = json.loads(line)
                rec["_line"] = n
                out.append(rec)
    return out


def _articles(gold: list[dict], root: Path, shared: Path) -> dict[tuple[str, str | None], object]:
    from eventwatch.extract import extract
    from eventwatch.model import RawDoc
    from eventwatch.sources import iter_inputs

    out = {}
    for f in sorted({g["file"] for g in gold}):
        path = str(shared / f[len("$SHARED/"):]) if f.startswith("$SHARED/") else str(root / f)
        for raw in iter_inputs([path]):
            if not isinstance(raw, RawDoc):
                continue
            art = extract(raw)
            if getattr(art, "body", None) is None:
                continue
            loc = (raw.location or "").split(" <")[0] or None
            out[f, loc] = art
            if loc is not None:
                out.setdefault((f, None), art)
    return out


def _speaker_ok(pred, accepted: list[str]) -> bool:
    if pred is None:
        return False
    hay = f"{pred.text} {pred.name or ''}".lower()
    return any(a.lower() in hay for a in accepted)


def _prf(right: int, predicted: int, gold: int) -> dict:
    p = right / predicted if predicted else 0.0
    r = right / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"right": right, "predicted": predicted, "gold": gold,
            "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def evaluate_quotes(gold_path: str | os.PathLike, root: str | os.PathLike | None = None,
                    shared: str | os.PathLike | None = None, default_date: str = "2016-09-26") -> dict:
    """Precision/recall of speaker attribution, overall and per class (direct, indirect)."""
    from eventwatch.tracking.quotes import find_quotes

    gold = load_gold(gold_path)
    root = Path(root) if root else Path(gold_path).resolve().parents[3]
    shared = Path(shared or os.environ.get("EVENTWATCH_SHARED") or root.parent / "shared")
    arts = _articles(gold, root, shared)
    stats = {c: {"right": 0, "predicted": 0, "gold": 0, "found": 0} for c in ("direct", "indirect")}
    errors: list[dict] = []
    missing = []
    by_doc: dict[tuple, list[dict]] = {}
    for g in gold:
        by_doc.setdefault((g["file"], g.get("location")), []).append(g)
    for key, items in by_doc.items():
        art = arts.get(key)
        if art is None:
            missing.append(f"{key[0]} {key[1] or ''}".strip())
            continue
        body = art.body
        preds = find_quotes(body, published=art.published or default_date, dateline=art.dateline)
        used: set[int] = set()
        for g in items:
            cls = g["kind"]
            stats[cls]["gold"] += 1
            if "anchor" in g:
                pos = body.find(g["anchor"])
            else:
                pos = g["start"]
                if hashlib.sha1(body[pos : pos + 12].encode()).hexdigest()[:10] != g.get("check"):
                    pos = -1
            if pos < 0:
                errors.append({"line": g["_line"], "error": "gold quote not found in the extracted text"})
                continue
            cands = [(i, q) for i, q in enumerate(preds) if i not in used and CLASSES[q.kind] == cls
                     and (q.start <= pos < q.end or abs(q.start - pos) <= 2)]
            if not cands:
                errors.append({"line": g["_line"], "kind": cls, "error": "quote not found", "expected": g["speaker"]})
                continue
            i, q = min(cands, key=lambda x: abs(x[1].start - pos))
            used.add(i)
            stats[cls]["found"] += 1
            if _speaker_ok(q.speaker, g["speaker"]):
                stats[cls]["right"] += 1
            else:
                errors.append({"line": g["_line"], "kind": cls, "error": "wrong speaker" if q.speaker else "no speaker",
                               "expected": g["speaker"], "got": q.speaker.text if q.speaker else None})
        for i, q in enumerate(preds):
            if q.speaker is not None:
                stats[CLASSES[q.kind]]["predicted"] += 1
                if i not in used:
                    errors.append({"file": key[0], "location": key[1], "kind": CLASSES[q.kind],
                                   "error": "not a gold quote", "start": q.start, "got": q.speaker.text})
    out = {c: {**_prf(s["right"], s["predicted"], s["gold"]), "found": s["found"]} for c, s in stats.items()}
    tot = {k: sum(s[k] for s in stats.values()) for k in ("right", "predicted", "gold", "found")}
    out["overall"] = {**_prf(tot["right"], tot["predicted"], tot["gold"]), "found": tot["found"]}
    out["documents"] = len(by_doc) - len(missing)
    out["missing_documents"] = missing
    out["errors"] = errors
    return out
