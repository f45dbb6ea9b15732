#!/usr/bin/env python3
"""Train the pentacode sentence classifier (``eventwatch.events.classify``) from the ConfliBERT file.

    .venv/bin/python scripts/train_pentacode.py [PATH] [--workers N] [--folds 5] [--seeds 0,1,2]
                                                [--out FILE] [--json FILE] [--no-cv]

PATH defaults to ``../shared/data/conflibert/cameo_class_train.tsv`` (``sentence<TAB>label``).
The file is coded once by the current rule coder and tagged once by spaCy; the script then
runs stratified k-fold cross-validation (repeated over the seeds; near-duplicate sentences
in one fold) for the classifier, a text-only variant and the rules-only baseline on the same
folds, prints a table, and trains the final model on every row, writing it as JSON to
``src/eventwatch/events/data/pentacode_model.json``. The softmax temperature comes from
the out-of-fold decision values of the first seed (1.0 with ``--no-cv``).

The coder's output is a feature, so rerun this script whenever the lexicon or the coder
changes: the result is deterministic for a given checkout and data file. Needs
scikit-learn (training only; inference needs numpy and spaCy). Run at development
time: the package never reads ../shared.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = "../shared/data/conflibert/cameo_class_train.tsv"
OUT = ROOT / "src/eventwatch/events/data/pentacode_model.json"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", nargs="?", default=DEFAULT)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--json", type=Path, help="also write the cross-validation result here")
    ap.add_argument("--no-cv", action="store_true", help="train only (temperature 1.0)")
    args = ap.parse_args(argv)

    from eventwatch import __version__
    from eventwatch.evaluate import pentacode as pc
    from eventwatch.events import classify

    path = Path(args.path)
    if not path.is_absolute() and not path.exists():
        path = ROOT / args.path
    if not path.exists():
        print(f"not found: {args.path}", file=sys.stderr)
        return 2
    seeds = tuple(int(s) for s in args.seeds.split(",") if s.strip())

    t0 = time.perf_counter()
    data = pc.prepare(path, workers=args.workers)
    print(f"{len(data.labels)} sentences coded and tagged in {data.seconds:.1f} s", file=sys.stderr)
    blocks, params = pc.CONFIGS["classifier"]
    temperature, cv_meta = 1.0, None
    if not args.no_cv:
        cv = pc.cross_validate(data, folds=args.folds, seeds=seeds)
        secs = cv.pop("_seconds")
        result = {"dataset": "conflibert-classes", "sentences": len(data.labels), "folds": args.folds,
                  "seeds": list(seeds), "classifier": cv["classifier"], "text_only": cv["text"], "rules": cv["rules"]}
        print(f"\nstratified {args.folds}-fold CV × {len(seeds)} seeds {list(seeds)} "
              f"(mean ± sd over {args.folds * len(seeds)} folds; {secs:.0f} s)\n")
        print(pc.table(result))
        print("\nmacro-F1 per seed (pooled out-of-fold):")
        for name in ("rules", "text_only", "classifier"):
            print(f"  {name:12s} {result[name]['macro_f1_per_seed']}")
        print("\nconfusion of the classifier (gold → predicted; out-of-fold, first seed):")
        conf = result["classifier"]["confusion"]
        print("      " + "".join(f"{c:>6d}" for c in classify.CLASSES))
        for g in classify.CLASSES:
            row = conf.get(str(g), {})
            print(f"{g:>6d}" + "".join(f"{row.get(str(p), 0):>6d}" for p in classify.CLASSES))
        temperature = cv["classifier"]["temperature"]
        print(f"\nsoftmax temperature {temperature} (out-of-fold log loss {cv['classifier']['log_loss']})")
        cv_meta = {"folds": args.folds, "seeds": list(seeds),
                   **{name: {"macro_f1": result[name]["macro_f1"]} for name in ("classifier", "text_only", "rules")}}
        if args.json:
            args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")

    lex_sha = hashlib.sha256(json.dumps(data.lexicon, sort_keys=True).encode()).hexdigest()[:16]
    meta = {
        "trained_on": {"file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                       "rows": int(len(data.labels)), "licence": "GPL-3.0 (eventdata/ConfliBERT)"},
        "eventwatch": __version__,
        "lexicon_sha256_16": lex_sha,
        "blocks": list(blocks),
        "params": params,
        "cv": cv_meta,
    }
    model = classify.train(pc.only_blocks(data.feats, blocks), data.labels, data.lexicon,
                           temperature=temperature, meta=meta, **params)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    size = args.out.stat().st_size
    print(f"\nwrote {args.out} ({len(model.vocab)} features, {size / 1024:.0f} KiB) "
          f"in {time.perf_counter() - t0:.0f} s total", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
