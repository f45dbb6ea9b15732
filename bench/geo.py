"""Geoparsing benchmark: gazetteer build, lookup and geoparse speed, GWN/LGL accuracy vs mordecai3.

    .venv/bin/python bench/geo.py [--shared ../shared] [--no-build]

Accuracy: resolution with gold toponyms given (acc@161 km, exact GeoNames id) on all articles and
on the dev (even-numbered articles, used when setting the resolver's weights) and held-out test
(odd) halves; recognition P/R/F1 on all articles; "ner-sub" is acc@161 km over gold toponyms with a
GeoNames id that spaCy tags GPE/LOC (mordecai3's way of selecting evaluation examples). Anchors: mordecai3 3.5 (ES + transformer ranker).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANCHORS = {"GWN": 0.941, "lgl": 0.827}
TARGETS = {"GWN": ">= 0.941", "lgl": "> 0.85"}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.environ.get("EVENTWATCH_SHARED", str(ROOT.parent / "shared")))
    ap.add_argument("--no-build", action="store_true", help="skip the timed rebuild in a temporary directory")
    args = ap.parse_args()
    from eventwatch.places import build, geoparse, get_gazetteer
    from eventwatch.places.evaluate import evaluate_geo, read_gold

    rows = []
    if not args.no_build:
        with tempfile.TemporaryDirectory() as d:
            st = build(Path(d) / "g.sqlite")
        rows.append(("gazetteer build", f"{st['seconds']:.1f} s, {st['bytes'] / 1e6:.0f} MB, {st['places']:,} places, {st['aliases']:,} aliases"))
    gaz = get_gazetteer()
    names = ["Aleppo", "Springfield", "Washington", "Long Beach", "Idlib province", "Va.", "Moscow", "Paris", "Georgia", "Kafr Nabl"]
    n = 0
    t = time.perf_counter()
    while time.perf_counter() - t < 1.0:
        for nm in names:
            gaz._lookup_cache.clear()
            gaz.lookup(nm)
            n += 1
    rows.append(("alias lookups/s (uncached)", f"{n / (time.perf_counter() - t):,.0f}"))
    geo = Path(args.shared) / "data" / "geo"
    if (geo / "GWN.xml").exists():
        from eventwatch.nlp import load

        nlp = load()
        texts = [a.text for a in read_gold(geo / "GWN.xml")[:40]]
        docs = list(nlp.pipe(texts))
        t = time.perf_counter()
        k = sum(len(geoparse(doc, gaz=gaz)) for doc in docs)
        dt_ = time.perf_counter() - t
        rows.append(("geoparse toponyms/s (parsed docs)", f"{k / dt_:,.0f} ({k} toponyms, 40 GWN articles, {dt_:.2f} s)"))
    for label, value in rows:
        print(f"{label:38} {value}")
    print()
    print(f"{'set':5} {'split':6} {'n':>5} {'acc@161':>8} {'exact':>6} {'unknown':>7} {'rec P':>6} {'rec R':>6} {'rec F1':>6} {'ner-sub':>12}  mordecai3 / target")
    for name in ("GWN", "lgl"):
        f = geo / f"{name}.xml"
        if not f.exists():
            print(f"{name}: not found at {f}")
            continue
        for split in (None, "dev", "test"):
            r = evaluate_geo(f, json=True, split=split, recognition=split is None)
            rec = (f"{r['recognition_precision']:6.3f} {r['recognition_recall']:6.3f} {r['recognition_f1']:6.3f} "
                   f"{r['acc_161km_ner_subset']:.3f} ({r['n_ner_subset']:4d})"
                   if split is None else f"{'':6} {'':6} {'':6} {'':12}")
            print(f"{name:5} {r['split']:6} {r['n']:5d} {r['acc_161km']:8.3f} {r['exact']:6.3f} {r['n_unknown']:7d} {rec}  "
                  f"{ANCHORS[name]:.3f} / {TARGETS[name]}  ({r['seconds']:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
