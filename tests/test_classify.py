"""The pentacode sentence classifier: packaged model, valid output, clear cases, determinism."""

from __future__ import annotations

import json
import time
from importlib import resources

import numpy as np
import pytest

from eventwatch.events import classify

CLEAR = [
    ("The UN Secretary-General urged both sides to show restraint.", 0),
    ("Russian President Vladimir Putin will meet Chinese President Xi Jinping in Beijing next week to discuss trade.", 1),
    ("Germany and France signed a cooperation agreement on defence procurement.", 1),
    ("Japan sent 500 tonnes of food aid to flood victims in Bangladesh.", 2),
    ("The government released 200 political prisoners as part of the peace deal.", 2),
    ("The Iranian foreign minister accused the United States of violating the nuclear deal.", 3),
    ("The opposition rejected the government's proposal for early elections.", 3),
    ("A suicide bomber killed 20 people at a market in Baghdad on Tuesday.", 4),
    ("Police fired tear gas to disperse protesters in Nairobi.", 4),
]


@pytest.fixture(scope="module")
def coded():
    from eventwatch.evaluate.sentences import code_texts

    events = code_texts([(str(i), text, None) for i, (text, _) in enumerate(CLEAR)])
    return [text for text, _ in CLEAR], [events[str(i)] for i in range(len(CLEAR))]


def test_model_file_is_small_json():
    ref = resources.files("eventwatch.events").joinpath(classify.MODEL_RESOURCE)
    raw = ref.read_bytes()
    assert len(raw) < 2_000_000
    d = json.loads(raw)
    assert d["format"] == classify.FORMAT and d["classes"] == list(classify.CLASSES)
    assert len(d["vocab"]) == len(d["idf"]) == len(d["coef"]) > 1000
    assert all(len(row) == 5 for row in d["coef"][:50])
    assert {f.split(":", 1)[0] for f in d["vocab"]} == set(classify.BLOCKS)


def test_loads_fast_and_lazily():
    t0 = time.perf_counter()
    model = classify.SentenceClassifier.load()
    assert time.perf_counter() - t0 < 0.5
    assert model.temperature > 0 and model.coef.shape == (len(model.vocab), 5)
    assert classify.load() is classify.load()


def test_block_vectors_are_unit_length():
    model = classify.load()
    feats = classify.features([("troops", "troop", "NOUN"), ("attacked", "attack", "VERB"), ("the", "the", "DET"),
                               ("city", "city", "NOUN")], [], model.lexicon)
    idx, val = model.vector(feats)
    for b in range(len(classify.BLOCKS)):
        sel = model.block[idx] == b
        if sel.any():
            assert np.isclose(np.sqrt((val[sel] ** 2).sum()), 1.0)
    assert model.vector(["w:zzzz-not-a-feature"])[0].size == 0


def test_probabilities_are_valid(coded):
    texts, events = coded
    probs = classify.load().predict_proba(texts, events)
    assert len(probs) == len(texts)
    for p in probs:
        assert set(p) == set(classify.CLASSES)
        assert all(0.0 <= v <= 1.0 for v in p.values())
        assert abs(sum(p.values()) - 1.0) < 1e-9
    # without the coder's events (and on an empty text) it still answers
    for p in classify.load().predict_proba(["", texts[0]], [[], []]):
        assert abs(sum(p.values()) - 1.0) < 1e-9


def test_clear_sentences(coded):
    texts, events = coded
    assert classify.load().predict(texts, events) == [label for _, label in CLEAR]


def test_deterministic_and_docs_equal_texts(coded):
    from eventwatch import nlp

    texts, events = coded
    model = classify.load()
    a = model.predict_proba(texts, events)
    b = classify.SentenceClassifier.load().predict_proba(texts, events)
    c = model.predict_proba(texts, events, docs=list(nlp.load().pipe(texts)))
    assert a == b == c


def test_length_mismatch():
    with pytest.raises(ValueError):
        classify.load().predict_proba(["one", "two"], [[]])


def test_rule_class_matches_the_evaluation():
    from eventwatch.evaluate.conflibert import sentence_class
    from eventwatch.model import Event

    def ev(cameo, modality="asserted", start=0, parent=None):
        return Event(id=cameo, article_id="a", sentence_index=0, sentence_text="", sentence_start=0, sentence_end=0,
                     trigger_text="x", trigger_start=start, trigger_end=start + 1, cameo=cameo, modality=modality,
                     parent=parent)

    cases = [[], [ev("190")], [ev("112", "reported", 0), ev("042", "asserted", 5)], [ev("010", parent="p"), ev("061", start=3)],
             [ev("190", "negated"), ev("042", start=4)], [ev("190", "hypothetical")]]
    for events in cases:
        assert classify.rule_class(events) == sentence_class(events)
