#!/usr/bin/env python3
"""Check which ConfliBERT class each CAMEO root carries in the data (docs/evaluation.md).

Codes the ConfliBERT class file and, for sentences whose factual top-level events all share one
CAMEO root, tabulates the gold labels by root.

    .venv/bin/python scripts/check_pentaclass.py [../shared/data/conflibert/cameo_class_train.tsv]
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

from eventwatch.evaluate.conflibert import load_classes
from eventwatch.evaluate.sentences import code_texts, top_level
from eventwatch.events.codes import pentacode

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared/data/conflibert/cameo_class_train.tsv"
    rows = load_classes(path)
    events = code_texts([(sid, text, None) for sid, text, _ in rows])
    table: dict[str, Counter] = defaultdict(Counter)
    for sid, _text, label in rows:
        roots = {e.root for e in top_level(events[sid]) if e.modality in ("asserted", "reported")}
        if len(roots) == 1:
            table[roots.pop()][label] += 1
    print("| root | sentences | gold labels | majority | pentacode() |")
    print("|---|---:|---|---:|---:|")
    for root in sorted(table):
        c = table[root]
        labels = ", ".join(f"{k}: {v}" for k, v in c.most_common())
        print(f"| {root} | {sum(c.values())} | {labels} | {c.most_common(1)[0][0]} | {pentacode(root)} |")


if __name__ == "__main__":
    main()
