"""Cross-validated evaluation of the pentacode sentence classifier (``events/classify.py``).

The ConfliBERT class file (``sentence<TAB>label``) is coded once by the rule coder and
tagged once by spaCy; then, for each seed, a stratified k-fold split (near-duplicate
sentences, word Jaccard ≥ 0.7, kept in the same fold) trains the classifier on k-1
folds and scores the held-out fold. The rules-only baseline (the rule coder's sentence
class) is scored on the same folds. Needs scikit-learn (training).

Caveat for reading the numbers: the rule lexicon is developed with this file in view,
so the coder-derived features (blocks ``r`` and ``x``) may be optimistic here; the
``text`` configuration (word and lemma n-grams only) has no such leak.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eventwatch.events import classify

SEEDS = (0, 1, 2)
NEAR_DUPLICATE = 0.7
# name -> (feature blocks, training parameters); "classifier" is what ships.
CONFIGS: dict[str, tuple[tuple[str, ...], dict]] = {
    "classifier": (("w", "l", "x", "r"), {"algorithm": "svm", "c": 1.0, "min_df": {"w": 3, "l": 3}}),
    "text": (("w", "l"), {"algorithm": "svm", "c": 1.0, "min_df": {"w": 3, "l": 3}}),
}


@dataclass
class Prepared:
    """The gold file, coded and tagged once, as feature lists."""

    texts: list[str]
    labels: np.ndarray
    rule: np.ndarray  # the rules' sentence class
    feats: list[list[str]]
    lexicon: dict[str, list[str]]
    seconds: float = 0.0


def prepare(path: str | Path, workers: int = 1) -> Prepared:
    from eventwatch.evaluate.conflibert import load_classes
    from eventwatch.evaluate.sentences import code_texts

    t0 = time.perf_counter()
    rows = load_classes(path)
    events = code_texts(((sid, text, None) for sid, text, _ in rows), workers=workers)
    texts = [text for _, text, _ in rows]
    toks = classify.analyze(texts)
    lex = classify.lexicon_map()
    evs = [events[sid] for sid, _, _ in rows]
    return Prepared(
        texts=texts,
        labels=np.array([label for _, _, label in rows]),
        rule=np.array([classify.rule_class(e) for e in evs]),
        feats=[classify.features(t, e, lex) for t, e in zip(toks, evs)],
        lexicon=lex,
        seconds=time.perf_counter() - t0,
    )


def near_duplicate_groups(feats: list[list[str]], threshold: float = NEAR_DUPLICATE) -> np.ndarray:
    """A group id per sentence; sentences whose word sets overlap ≥ threshold share one."""
    sets = [frozenset(f for f in fs if f.startswith("w:") and " " not in f) for fs in feats]
    parent = list(range(len(sets)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            a, b = sets[i], sets[j]
            if a and b and len(a & b) >= threshold * len(a | b):
                parent[find(i)] = find(j)
    return np.array([find(i) for i in range(len(sets))])


def only_blocks(feats: list[list[str]], blocks: tuple[str, ...]) -> list[list[str]]:
    if set(blocks) == set(classify.BLOCKS):
        return feats
    return [[f for f in fs if f.split(":", 1)[0] in blocks] for fs in feats]


def _scores(gold: np.ndarray, pred: np.ndarray) -> dict:
    per = {}
    for c in classify.CLASSES:
        tp = int(((pred == c) & (gold == c)).sum())
        p = tp / max(1, int((pred == c).sum()))
        r = tp / max(1, int((gold == c).sum()))
        per[c] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    return {"macro_f1": float(np.mean([v["f1"] for v in per.values()])),
            "accuracy": float((gold == pred).mean()), "per_class": per}


def _ms(xs) -> dict:
    xs = [float(x) for x in xs]
    sd = float(np.std(xs, ddof=1)) if len(xs) > 1 else 0.0
    return {"mean": round(float(np.mean(xs)), 4), "sd": round(sd, 4)}


def _summary(folds: list[dict], seed_preds: list[np.ndarray], gold: np.ndarray) -> dict:
    from eventwatch.evaluate.metrics import confusion

    return {
        "macro_f1": _ms(f["macro_f1"] for f in folds),
        "macro_f1_per_seed": [round(_scores(gold, p)["macro_f1"], 4) for p in seed_preds],
        "accuracy": _ms(f["accuracy"] for f in folds),
        "per_class": {str(c): {k: _ms(f["per_class"][c][k] for f in folds) for k in ("precision", "recall", "f1")}
                      for c in classify.CLASSES},
        # out-of-fold predictions of the first seed: every sentence exactly once
        "confusion": confusion(list(zip(gold.tolist(), seed_preds[0].tolist()))),
    }


def cross_validate(data: Prepared, folds: int = 5, seeds=SEEDS, configs: dict | None = None) -> dict:
    """Mean ± sd (over folds × seeds) of each configuration and of the rules-only baseline."""
    from sklearn.model_selection import StratifiedGroupKFold

    configs = configs if configs is not None else CONFIGS
    y = data.labels
    groups = near_duplicate_groups(data.feats)
    runs: dict[str, list[dict]] = {name: [] for name in [*configs, "rules"]}
    preds: dict[str, list[np.ndarray]] = {name: [] for name in runs}
    oof_scores: dict[str, np.ndarray] = {}
    t0 = time.perf_counter()
    for seed in seeds:
        split = list(StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y, groups))
        for name in runs:
            preds[name].append(np.zeros(len(y), dtype=int))
        for tr, te in split:
            runs["rules"].append(_scores(y[te], data.rule[te]))
            preds["rules"][-1][te] = data.rule[te]
            for name, (blocks, params) in configs.items():
                feats = only_blocks(data.feats, blocks)
                model = classify.train([feats[i] for i in tr], y[tr], data.lexicon, **params)
                s = np.array([model.decision(feats[i]) for i in te])
                p = np.array(classify.CLASSES)[s.argmax(axis=1)]
                runs[name].append(_scores(y[te], p))
                preds[name][-1][te] = p
                if seed == seeds[0]:
                    oof_scores.setdefault(name, np.zeros((len(y), len(classify.CLASSES))))[te] = s
    out = {name: _summary(runs[name], preds[name], y) for name in runs}
    for name, s in oof_scores.items():
        t = classify.fit_temperature(s, y)
        z = s * t
        z = z - z.max(axis=1, keepdims=True)
        nll = -(z[np.arange(len(y)), y] - np.log(np.exp(z).sum(axis=1))).mean()
        out[name]["temperature"] = round(t, 4)
        out[name]["log_loss"] = round(float(nll), 4)
    out["_seconds"] = round(time.perf_counter() - t0, 1)
    return out


def evaluate_classifier(path: str | Path, workers: int = 1, folds: int = 5, seeds=SEEDS) -> dict:
    """Cross-validated pentacode metrics of the classifier, a text-only variant and the
    rules-only baseline, all on the same folds (``folds``-fold × ``len(seeds)`` repeats)."""
    data = prepare(path, workers=workers)
    cv = cross_validate(data, folds=folds, seeds=seeds)
    seconds = cv.pop("_seconds")
    return {
        "dataset": "conflibert-classes",
        "sentences": len(data.labels),
        "protocol": (f"stratified {folds}-fold cross-validation × {len(seeds)} seeds {list(seeds)}; "
                     f"near-duplicates (word Jaccard ≥ {NEAR_DUPLICATE}) kept in one fold; "
                     "mean ± sd over the folds; confusion = out-of-fold predictions of the first seed"),
        "classifier": cv["classifier"],
        "text_only": cv["text"],
        "rules": cv["rules"],
        "configs": {name: {"blocks": list(b), **{k: v for k, v in p.items()}} for name, (b, p) in CONFIGS.items()},
        "seconds": {"code_and_tag": round(data.seconds, 1), "cross_validation": seconds},
        "note": ("the rule lexicon is developed with this file in view, so the coder-derived features may "
                 "be optimistic here; text_only uses no coder output"),
    }


def fmt_ms(d: dict) -> str:
    return f"{d['mean']:.3f} ± {d['sd']:.3f}"


def table(result: dict) -> str:
    """A plain-text table of ``evaluate_classifier``'s result."""
    cols = [("rules", result["rules"]), ("text only", result["text_only"]), ("classifier", result["classifier"])]
    lines = [f"{'':26s}" + "".join(f"{name:>18s}" for name, _ in cols)]
    lines.append(f"{'macro-F1':26s}" + "".join(f"{fmt_ms(r['macro_f1']):>18s}" for _, r in cols))
    lines.append(f"{'accuracy':26s}" + "".join(f"{fmt_ms(r['accuracy']):>18s}" for _, r in cols))
    for c in classify.CLASSES:
        label = f"F1 {c} {classify.CLASS_NAMES[c]}"
        lines.append(f"{label:26s}" + "".join(f"{fmt_ms(r['per_class'][str(c)]['f1']):>18s}" for _, r in cols))
    return "\n".join(lines)


__all__ = ["evaluate_classifier", "cross_validate", "prepare", "table", "CONFIGS"]
