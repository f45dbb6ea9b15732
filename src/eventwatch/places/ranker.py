"""The learned candidate ranker: a conditional-logit (softmax) linear model over candidate features.

``score(candidate) = w · features(candidate, context)``; the probabilities of one
mention's candidates are the softmax of their scores, exactly like the hand-set
resolver, so the document-context rounds are shared (``eventwatch.places.context``).

The model is JSON package data (``data/geo_ranker.json``: feature names, weights,
training provenance), trained by ``scripts/train_geo_ranker.py`` on the
development halves (even-numbered articles) of GeoWebNews and LGL only. Inference
is a NumPy dot product. Features (all offline):

* prior: log population, its gap to the mention's most populous candidate,
  whether it is the most populous; level (country, first-level division,
  second-level division, feature, continent; city is the reference), capital;
  how the name matched (alternate name, abbreviation, demonym, "X County" suffix,
  "northern X", suffix-level agreement), the namesake/abbreviation/alias flags
  of candidate generation;
* context (``Ctx``): country and first-level-division shares of the article's
  other toponyms and explicit evidence, closeness to the dateline and to the
  other toponyms, "City, State" containment, the outlet domain's country, and
  interactions of the shares with the candidate's level; the outlet's host naming
  one of the article's toponyms (a local paper) and its interactions;
* the hand-set resolver's prior and full score: the learned weights are shrunk
  towards ``hand_score = 1, others 0`` (the hand-set resolver), so with little
  data the model stays close to it and learns corrections.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from eventwatch.places.context import Ctx, Item, hand_score
from eventwatch.places.gazetteer import (
    ALIAS_ABBREV,
    ALIAS_ALT,
    LEVEL_ADM1,
    LEVEL_ADM2,
    LEVEL_CONTINENT,
    LEVEL_COUNTRY,
    LEVEL_FEATURE,
)

MODEL_FILE = "geo_ranker.json"
FEATURES = (
    "log_pop", "rel_pop", "top_pop", "log_pop_div", "log_pop_country",
    "country", "adm1", "adm2", "feature", "continent", "capital",
    "alt_name", "abbrev_ok", "abbrev_bad", "demonym", "suffix", "direction", "want_ok", "want_bad",
    "namesake", "upper_short", "country_alias",
    "ctx_country", "ctx_country_x_country", "ctx_admin1", "ctx_admin1_x_adm1", "explicit", "explicit_x_country",
    "dateline", "near", "container", "outlet", "outlet_x_country",
    "host", "local_x_rel_pop", "local_x_near", "local_x_capital", "local_x_country",
    "hand_prior", "hand_score",
)
PRIOR_WEIGHTS = {"hand_score": 1.0}  # training shrinks the weights towards the hand-set resolver


def _looks_abbrev(text: str) -> bool:
    t = text.strip()
    return "." in t or (t.isupper() and len(t) <= 4)


def features(it: Item, ctxs: list[Ctx]) -> np.ndarray:
    """Feature matrix (candidates × FEATURES) of one mention."""
    pops = [math.log10((c.entry.population or 0) + 10) for c in it.cands]
    top = max(pops) if pops else 0.0
    abbrev = _looks_abbrev(it.mention.text)
    hand = hand_score(it, ctxs)
    rows = []
    for c, x, lp, hs in zip(it.cands, ctxs, pops, hand):
        e = c.entry
        lv = e.level
        is_c = 1.0 if lv == LEVEL_COUNTRY else 0.0
        is_a1 = 1.0 if lv == LEVEL_ADM1 else 0.0
        div = 1.0 if lv in (LEVEL_ADM1, LEVEL_ADM2) else 0.0
        ab = c.kind == ALIAS_ABBREV and c.how == "abbrev"
        rows.append((
            lp, lp - top, 1.0 if lp == top else 0.0, lp * div, lp * is_c,
            is_c, is_a1, 1.0 if lv == LEVEL_ADM2 else 0.0, 1.0 if lv == LEVEL_FEATURE else 0.0,
            1.0 if lv == LEVEL_CONTINENT else 0.0, 1.0 if e.feature == "PPLC" else 0.0,
            1.0 if c.kind == ALIAS_ALT and c.how == "alias" else 0.0, 1.0 if ab and abbrev else 0.0,
            1.0 if ab and not abbrev else 0.0, 1.0 if c.how == "demonym" else 0.0, 1.0 if c.how == "suffix" else 0.0,
            1.0 if c.how == "direction" else 0.0, 1.0 if c.want > 0 else 0.0, 1.0 if c.want < 0 else 0.0,
            float(c.namesake), float(c.upper_short), float(c.country_alias),
            x.ctx_country, x.ctx_country * is_c, x.ctx_admin1, x.ctx_admin1 * is_a1, x.explicit, x.explicit * is_c,
            x.dateline, x.near, x.container, x.outlet, x.outlet * is_c,
            x.host, x.local * (lp - top), x.local * x.near, x.local * (1.0 if e.feature == "PPLC" else 0.0), x.local * is_c,
            c.prior, hs,
        ))
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


class Ranker:
    """A loaded ranker; ``ranker(item, ctxs)`` is a context scorer."""

    def __init__(self, model: dict):
        names = model["features"]
        w = dict(zip(names, model["weights"]))
        unknown = set(names) - set(FEATURES)
        if unknown:
            raise ValueError(f"ranker model has unknown features: {sorted(unknown)}")
        self.w = np.array([w.get(f, 0.0) for f in FEATURES])
        self.meta = {k: v for k, v in model.items() if k not in ("weights",)}

    def __call__(self, it: Item, ctxs: list[Ctx]) -> list[float]:
        if not it.cands:
            return []
        return (features(it, ctxs) @ self.w).tolist()

    @classmethod
    def from_path(cls, path: str | Path) -> Ranker:
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def default_ranker() -> Ranker | None:
    """The packaged model, or None when it is missing or unreadable (the hand-set weights are used)."""
    try:
        return Ranker(json.loads((resources.files("eventwatch.places") / "data" / MODEL_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        return None


def get_ranker(ranker) -> object:
    """``"learned"`` / None → the packaged model (hand-set if missing); ``"hand"`` → None; a path or a Ranker as is."""
    if ranker is None or ranker == "learned":
        return default_ranker()
    if ranker == "hand":
        return None
    if isinstance(ranker, (str, Path)):
        return Ranker.from_path(ranker)
    return ranker
