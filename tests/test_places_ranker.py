"""The learned candidate ranker: package data, fallback, outlet evidence, training code."""

from __future__ import annotations

import importlib.util
import json
import time
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from eventwatch.places import Mention, get_gazetteer, resolve_mentions
from eventwatch.places.context import outlet_country, outlet_host
from eventwatch.places.evaluate import evaluate_geo
from eventwatch.places.ranker import FEATURES, MODEL_FILE, Ranker, default_ranker, get_ranker

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gaz():
    try:
        return get_gazetteer()
    except Exception as exc:  # noqa: BLE001 - no packages / no disk: skip, don't fail
        pytest.skip(f"gazetteer unavailable: {exc}")


def _resolve(gaz, text, *names, **kw):
    mentions = []
    for n in names:
        i = text.index(n)
        mentions.append(Mention(n, i, i + len(n)))
    return resolve_mentions(text, mentions, gaz=gaz, **kw)


def test_model_file_is_small_json_and_loads_fast():
    f = resources.files("eventwatch.places") / "data" / MODEL_FILE
    raw = f.read_bytes()
    assert len(raw) < 1_000_000
    model = json.loads(raw)
    assert set(model["features"]) <= set(FEATURES) and len(model["weights"]) == len(model["features"])
    assert all(":dev " in s for s in model["trained_on"])  # never the held-out halves
    default_ranker.cache_clear()
    t = time.perf_counter()
    rk = default_ranker()
    assert rk is not None and time.perf_counter() - t < 0.2


def test_get_ranker_choices(tmp_path):
    assert get_ranker("hand") is None
    assert get_ranker(None) is default_ranker() and get_ranker("learned") is default_ranker()
    p = tmp_path / "m.json"
    p.write_text(json.dumps({"features": ["log_pop"], "weights": [1.0]}))
    rk = get_ranker(str(p))
    assert isinstance(rk, Ranker) and rk.w[FEATURES.index("log_pop")] == 1.0 and rk.w.sum() == 1.0
    with pytest.raises(ValueError):
        Ranker({"features": ["no_such_feature"], "weights": [1.0]})


def test_outlet_domain():
    assert outlet_country("http://www.cambridge-news.co.uk/x") == "GB"
    assert outlet_country("https://lfpress.ca/a") == "CA"
    assert outlet_country("https://www.washingtonpost.com/a") is None  # generic: says nothing
    assert outlet_country("https://example.tv/a") is None  # vanity ccTLD
    assert outlet_country(None) is None and outlet_country("not a url") is None
    assert outlet_host("http://www.newarkadvocate.com/x") == "newarkadvocate"
    assert outlet_host("http://news.bbc.co.uk/x") == "bbc"


@pytest.mark.parametrize("ranker", ["hand", "learned"])
def test_both_resolvers_use_context(gaz, ranker):
    p = _resolve(gaz, "A shooting in Long Beach, Calif., left two dead.", "Long Beach", "Calif.", ranker=ranker)
    assert p[0].admin1 == "US.CA" and p[1].precision == "admin1"
    p = _resolve(gaz, "Fighting in Aleppo and Idlib province continued, Syria said.", "Aleppo", "Idlib province", "Syria", ranker=ranker)
    assert p[0].country == "SYR" and p[0].feature == "PPL" and p[1].feature == "ADM1"
    p = _resolve(gaz, "Alexandria police and the Rapides Parish sheriff said.", "Alexandria", "Rapides Parish", ranker=ranker)
    assert p[0].admin1 == "US.LA"
    (p,) = _resolve(gaz, "Talks in Paris.", "Paris", ranker=ranker)
    assert p.country == "FRA"


def test_outlet_is_weak_evidence(gaz):
    text = "The council met in Cambridge on Tuesday."
    assert _resolve(gaz, text, "Cambridge")[0].country == "GBR"
    assert _resolve(gaz, text, "Cambridge", url="http://www.cambridge-news.co.uk/a")[0].country == "GBR"
    assert _resolve(gaz, text, "Cambridge", url="http://www.therecord.ca/a")[0].country == "CAN"
    assert _resolve(gaz, "Talks in Paris.", "Paris", url="http://www.therecord.ca/a")[0].country == "FRA"  # only tips close calls


def test_fit_recovers_a_ranking():
    spec = importlib.util.spec_from_file_location("train_geo_ranker", ROOT / "scripts" / "train_geo_ranker.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    rng = np.random.default_rng(0)
    sizes = np.full(200, 4)
    X = rng.normal(size=(800, len(FEATURES)))
    true = np.zeros(len(FEATURES))
    true[0], true[1] = 2.0, -1.0
    s = X @ true
    y = np.zeros(800, dtype=bool)
    for g in range(200):
        y[g * 4 + int(np.argmax(s[g * 4:g * 4 + 4]))] = True
    w = mod.fit(X, y, sizes, 0.001, np.ones(len(FEATURES), dtype=bool))
    assert w[0] > 0 and w[1] < 0 and mod.top1(X, y, sizes, w) > 0.9


def test_evaluate_reports_the_ranker(tmp_path, gaz):
    from tests.test_places import LGL_SAMPLE

    f = tmp_path / "lgl.xml"
    f.write_text(LGL_SAMPLE)
    for ranker in ("hand", "learned"):
        r = evaluate_geo(f, json=True, recognition=False, ranker=ranker)
        assert r["ranker"] == ranker and r["acc_161km"] == 1.0 and r["acc_161km_or_id"] == 1.0
