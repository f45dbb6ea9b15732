"""ConfliBERT CAMEO data: pentacode sentence classes and source/target BIO spans.

Classes (``cameo_class_train.tsv``: ``sentence<TAB>label``): 0 make a statement,
1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
CAMEO roots map to them as in Phoenix's pentaclass — 01–02 → 0, 03–05 → 1, 06–08 → 2,
09–13 and 16 → 3, 14–15 and 17–20 → 4 (checked against the data; see
``codes.pentacode`` and docs/evaluation.md). A sentence without events is predicted 0.

Spans (``cameo_ner_train.txt``: ``token<TAB>tag`` lines, blank line between sentences):
``S`` sources, ``T`` targets, ``R`` both parties of a reciprocal interaction.
"""

from __future__ import annotations

from pathlib import Path

from eventwatch.evaluate.metrics import PRF, confusion
from eventwatch.evaluate.sentences import code_texts, top_level
from eventwatch.events.codes import pentacode

MODALITY_RANK = {"asserted": 0, "intended": 1, "reported": 2, "hypothetical": 3, "negated": 4}


def load_classes(path: str | Path) -> list[tuple[str, str, int]]:
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        text, _, label = line.rpartition("\t")
        if not text or not label.strip().isdigit():
            raise ValueError(f"{path}:{n}: expected 'sentence<TAB>label'")
        out.append((f"s{n}", text.strip(), int(label)))
    return out


def sentence_class(events) -> int:
    """The pentacode of a sentence from its coded events (0 when none)."""
    evs = top_level(events)
    if not evs:
        return 0
    main = min(evs, key=lambda e: (MODALITY_RANK.get(e.modality, 5), e.trigger_start))
    return pentacode(main.cameo)


def evaluate_classes(path: str | Path, workers: int = 1, errors: bool = False) -> dict:
    rows = load_classes(path)
    events = code_texts(((sid, text, None) for sid, text, _ in rows), workers=workers)
    prf = PRF()
    pairs, wrong = [], []
    for sid, text, label in rows:
        pred = sentence_class(events[sid])
        prf.add({label}, {pred})
        pairs.append((label, pred))
        if errors and pred != label:
            wrong.append({"id": sid, "gold": label, "predicted": pred, "text": text,
                          "events": [f"{e.cameo} {e.trigger_text} ({e.modality})" for e in events[sid]]})
    labels = [0, 1, 2, 3, 4]
    result = {
        "dataset": "conflibert-classes",
        "sentences": len(rows),
        "accuracy": round(sum(1 for g, p in pairs if g == p) / len(pairs), 4) if pairs else 0.0,
        "macro": prf.macro(labels),
        "per_class": prf.per_class(labels),
        "confusion": confusion(pairs),
    }
    if errors:
        result["errors"] = wrong
    return result


def load_spans(path: str | Path) -> list[tuple[list[str], list[str]]]:
    sents, toks, tags = [], [], []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            if toks:
                sents.append((toks, tags))
                toks, tags = [], []
            continue
        parts = line.rsplit(None, 1)
        if len(parts) != 2:
            raise ValueError(f"{path}:{n}: expected 'token<TAB>tag'")
        toks.append(parts[0])
        tags.append(parts[1])
    if toks:
        sents.append((toks, tags))
    return sents


def bio_spans(tags: list[str]) -> set[tuple[str, int, int]]:
    out, start, label = set(), None, None
    for i, tag in enumerate([*tags, "O"]):
        if tag.startswith("B-") or tag == "O" or (tag.startswith("I-") and tag[2:] != label):
            if start is not None:
                out.add((label, start, i - 1))
            start, label = (i, tag[2:]) if tag != "O" else (None, None)
    return out


def _token_offsets(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    offs, pos = [], 0
    for t in tokens:
        offs.append((pos, pos + len(t)))
        pos += len(t) + 1
    return " ".join(tokens), offs


def _to_tokens(start: int, end: int, offs) -> tuple[int, int] | None:
    idx = [i for i, (s, e) in enumerate(offs) if s >= start and e <= end]
    return (idx[0], idx[-1]) if idx else None


def predicted_spans(events, offs) -> set[tuple[str, int, int]]:
    src, tgt = set(), set()
    for e in top_level(events):
        if e.source is not None:
            sp = _to_tokens(e.source.start, e.source.end, offs)
            if sp:
                src.add(sp)
        if e.target is not None:
            sp = _to_tokens(e.target.start, e.target.end, offs)
            if sp:
                tgt.add(sp)
    both = src & tgt
    return ({("S", *s) for s in src - both} | {("T", *t) for t in tgt - both} | {("R", *r) for r in both})


def _overlaps(a, spans) -> bool:
    return any(a[0] == b[0] and a[1] <= b[2] and b[1] <= a[2] for b in spans)


def evaluate_spans(path: str | Path, workers: int = 1, errors: bool = False) -> dict:
    sents = load_spans(path)
    texts = []
    for i, (toks, _tags) in enumerate(sents):
        text, _ = _token_offsets(toks)
        texts.append((f"n{i}", text, None))
    events = code_texts(texts, workers=workers)
    labels = ("S", "T", "R")
    exact = {lab: PRF() for lab in labels + ("all",)}
    overlap = {lab: PRF() for lab in labels + ("all",)}
    wrong = []
    for i, (toks, tags) in enumerate(sents):
        _, offs = _token_offsets(toks)
        gold = bio_spans(tags)
        pred = predicted_spans(events[f"n{i}"], offs)
        # Overlap: a predicted span counts when it overlaps a gold span of the same label.
        ov_pred = {p if not _overlaps(p, gold) else next(g for g in gold if g[0] == p[0] and p[1] <= g[2] and g[1] <= p[2]) for p in pred}
        for lab in labels:
            exact[lab].add({g for g in gold if g[0] == lab}, {p for p in pred if p[0] == lab})
            overlap[lab].add({g for g in gold if g[0] == lab}, {p for p in ov_pred if p[0] == lab})
        exact["all"].add(gold, pred)
        overlap["all"].add(gold, ov_pred)
        if errors and gold != pred:
            wrong.append({"id": f"n{i}", "text": " ".join(toks),
                          "gold": sorted((lab, " ".join(toks[s : e + 1])) for lab, s, e in gold),
                          "predicted": sorted((lab, " ".join(toks[s : e + 1])) for lab, s, e in pred)})
    result = {
        "dataset": "conflibert-spans",
        "sentences": len(sents),
        "exact": {lab: m.micro() for lab, m in exact.items()},
        "overlap": {lab: m.micro() for lab, m in overlap.items()},
        "note": "exact = same first and last token; overlap = a predicted span overlapping a gold span of the same label",
    }
    if errors:
        result["errors"] = wrong
    return result
