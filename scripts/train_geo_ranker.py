"""Train the learned toponym-candidate ranker (``src/eventwatch/places/data/geo_ranker.json``).

    .venv/bin/python scripts/train_geo_ranker.py                       # GWN dev + LGL dev → package data
    .venv/bin/python scripts/train_geo_ranker.py --train GWN:all --out /tmp/gwn.json   # cross-corpus model

The model is a conditional logit (a softmax over each mention's gazetteer candidates) with
L2 regularisation towards the hand-set resolver (``hand_score`` weight 1, the others 0; the
strength is chosen by article-grouped 5-fold cross-validation on the training data), fitted
with L-BFGS on the features of ``eventwatch.places.ranker``. A
candidate is a positive when it is the gold GeoNames id or lies within 161 km of the gold
point; mentions with fewer than two candidates or no positive teach nothing and are skipped.
The context features depend on the other mentions' probabilities, so training is iterated:
round 1 uses the context the hand-set weights produce, each further round the context of
the previous round's model. Only the named splits are read (default: the development halves,
even-numbered articles); the odd halves stay held out. Deterministic: same data, same model.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eventwatch.places.evaluate import KM, read_gold, split_articles  # noqa: E402
from eventwatch.places.gazetteer import distance_km, get_gazetteer  # noqa: E402
from eventwatch.places.ranker import FEATURES, PRIOR_WEIGHTS, Ranker, features  # noqa: E402
from eventwatch.places.recognize import Mention  # noqa: E402
from eventwatch.places.resolve import resolve_mentions  # noqa: E402

DEFAULT_OUT = ROOT / "src" / "eventwatch" / "places" / "data" / "geo_ranker.json"


def load_sets(shared: Path, specs: list[str]):
    """``["GWN:dev", "lgl:dev"]`` → [(name, split, articles)]."""
    out = []
    for spec in specs:
        name, _, split = spec.partition(":")
        arts = split_articles(read_gold(shared / "data" / "geo" / f"{name}.xml"), split if split in ("dev", "test") else None)
        out.append((name, split or "all", arts))
    return out


def collect(sets, gaz, ranker, use_url: bool = True):
    """Feature matrices and labels of every trainable mention; returns (X, y, group sizes, article ids)."""
    xs, ys, sizes, docs = [], [], [], []
    for name, _split, arts in sets:
        for a in arts:
            gold = [g for g in a.toponyms if g.lat is not None and g.lon is not None]
            if not gold:
                continue
            by_span = {(g.start, g.end): g for g in gold}
            cap: list = []
            resolve_mentions(a.text, [Mention(g.text, g.start, g.end, source="gold") for g in gold], gaz=gaz,
                             url=a.url if use_url else None, ranker=ranker or "hand", capture=cap)
            for it, ctxs in cap:
                if len(it.cands) < 2:
                    continue
                g = by_span[(it.mention.start, it.mention.end)]
                y = np.array([c.entry.geonameid == g.geonameid or (c.entry.lat is not None and
                              distance_km(c.entry.lat, c.entry.lon, g.lat, g.lon) <= KM) for c in it.cands])
                if not y.any():
                    continue
                xs.append(features(it, ctxs))
                ys.append(y)
                sizes.append(len(y))
                docs.append(f"{name}:{a.id}")
    return np.vstack(xs), np.concatenate(ys), np.array(sizes), docs


def fit(X, y, sizes, l2: float, mask: np.ndarray, prior: np.ndarray | None = None) -> np.ndarray:
    """Conditional-logit weights: minimise −Σ log P(positives of the mention) / n + l2/2 ‖w − prior‖²
    (``prior``: the hand-set resolver, ``hand_score`` = 1)."""
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    gid = np.repeat(np.arange(len(sizes)), sizes)
    Xm = X[:, mask]
    n = len(sizes)
    w0 = np.zeros(Xm.shape[1]) if prior is None else prior[mask]

    def f(w):
        s = Xm @ w
        mx = np.maximum.reduceat(s, starts)
        e = np.exp(s - mx[gid])
        z = np.add.reduceat(e, starts)
        zp = np.add.reduceat(e * y, starts)
        loss = -np.sum(np.log(zp) - np.log(z)) / n + 0.5 * l2 * (w - w0) @ (w - w0)
        p = e / z[gid]
        q = e * y / zp[gid]
        grad = Xm.T @ (p - q) / n + l2 * (w - w0)
        return loss, grad

    res = minimize(f, w0.copy(), jac=True, method="L-BFGS-B", options={"maxiter": 2000})
    w = np.zeros(X.shape[1])
    w[mask] = res.x
    return w


def top1(X, y, sizes, w) -> float:
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    s = X @ w
    return float(np.mean([y[a + int(np.argmax(s[a:a + k]))] for a, k in zip(starts, sizes)]))


def cv_top1(X, y, sizes, docs, l2, mask, prior=None, folds: int = 5) -> float:
    """Article-grouped cross-validated top-1 accuracy of trainable mentions (for choosing l2)."""
    uniq = sorted(set(docs))
    fold_of = {d: i % folds for i, d in enumerate(uniq)}
    mfold = np.array([fold_of[d] for d in docs])
    rows = np.repeat(mfold, sizes)
    hits = tot = 0.0
    for k in range(folds):
        tr, te = mfold != k, mfold == k
        w = fit(X[rows != k], y[rows != k], sizes[tr], l2, mask, prior)
        acc = top1(X[rows == k], y[rows == k], sizes[te], w)
        hits += acc * te.sum()
        tot += te.sum()
    return hits / tot


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=os.environ.get("EVENTWATCH_SHARED", str(ROOT.parent / "shared")))
    ap.add_argument("--train", nargs="+", default=["GWN:dev", "lgl:dev"], help="NAME:dev|test|all of shared/data/geo/NAME.xml")
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    ap.add_argument("--l2", type=float, nargs="+", default=[0.001, 0.003, 0.01, 0.03, 0.1], help="candidates; chosen by CV on the training data")
    ap.add_argument("--rounds", type=int, default=3, help="training rounds (context from the previous round's model)")
    ap.add_argument("--drop", nargs="*", default=[], help="features to leave out")
    ap.add_argument("--no-url", action="store_true", help="do not use the outlet address")
    ap.add_argument("--no-prior", action="store_true", help="shrink towards 0, not towards the hand-set resolver")
    args = ap.parse_args()
    started = time.perf_counter()
    gaz = get_gazetteer()
    sets = load_sets(Path(args.shared), args.train)
    mask = np.array([f not in args.drop for f in FEATURES])
    prior = None if args.no_prior else np.array([PRIOR_WEIGHTS.get(f, 0.0) for f in FEATURES])
    ranker = None
    model: dict = {}
    for rnd in range(args.rounds):
        X, y, sizes, docs = collect(sets, gaz, ranker, use_url=not args.no_url)
        if rnd == args.rounds - 1 and len(args.l2) > 1:
            scores = {l2: cv_top1(X, y, sizes, docs, l2, mask, prior) for l2 in args.l2}
            l2 = max(scores, key=scores.get)
            print("cv top-1 by l2:", {k: round(v, 4) for k, v in scores.items()}, "→", l2)
        else:
            l2 = args.l2[len(args.l2) // 2] if rnd < args.rounds - 1 else args.l2[0]
        w = fit(X, y, sizes, l2, mask, prior)
        print(f"round {rnd + 1}: {len(sizes)} mentions, {len(y)} candidates, train top-1 {top1(X, y, sizes, w):.4f}")
        model = {
            "format": "eventwatch-geo-ranker/1",
            "model": "conditional logit (softmax over a mention's candidates), L2, L-BFGS",
            "features": [f for f, m in zip(FEATURES, mask) if m],
            "weights": [round(float(v), 5) for v, m in zip(w, mask) if m],
            "trained_on": [f"{n}:{s} ({len(a)} articles)" for n, s, a in sets],
            "positives": f"gold GeoNames id or within {KM:.0f} km of the gold point",
            "l2": l2, "shrunk_towards": "hand-set resolver (hand_score = 1)" if prior is not None else "0", "rounds": rnd + 1, "mentions": int(len(sizes)), "uses_url": not args.no_url,
        }
        ranker = Ranker(model)
    Path(args.out).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({Path(args.out).stat().st_size} bytes) in {time.perf_counter() - started:.0f} s")
    for f, v in sorted(zip(model["features"], model["weights"]), key=lambda kv: -abs(kv[1])):
        print(f"  {f:24} {v:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
