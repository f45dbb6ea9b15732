"""Precision, recall, F1 per class, macro averages and confusion matrices."""

from __future__ import annotations

from collections import Counter, defaultdict


class PRF:
    """Counts true/false positives and false negatives per label."""

    def __init__(self):
        self.tp: Counter = Counter()
        self.fp: Counter = Counter()
        self.fn: Counter = Counter()

    def add(self, gold: set, pred: set) -> None:
        for label in gold & pred:
            self.tp[label] += 1
        for label in pred - gold:
            self.fp[label] += 1
        for label in gold - pred:
            self.fn[label] += 1

    def labels(self) -> list:
        return sorted(set(self.tp) | set(self.fp) | set(self.fn), key=str)

    def per_class(self, labels=None) -> dict:
        out = {}
        for label in labels or self.labels():
            tp, fp, fn = self.tp[label], self.fp[label], self.fn[label]
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            out[str(label)] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                               "support": tp + fn, "predicted": tp + fp}
        return out

    def macro(self, labels=None) -> dict:
        per = self.per_class(labels)
        n = len(per) or 1
        return {k: round(sum(v[k] for v in per.values()) / n, 4) for k in ("precision", "recall", "f1")}

    def micro(self) -> dict:
        tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def confusion(pairs: list[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """``{gold: {predicted: count}}``; a missing prediction is ``"none"``."""
    m: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for gold, pred in pairs:
        m[str(gold)][str(pred)] += 1
    return {g: dict(p) for g, p in m.items()}
