"""Pentacode sentence classifier: a linear model over text n-grams and the rule coder's output.

The ConfliBERT pentacode (0 make a statement, 1 verbal cooperation, 2 material
cooperation, 3 verbal conflict, 4 material conflict) of a sentence, predicted by a
linear SVM over four blocks of TF-IDF features, each block L2-normalised on its own:

``w``  lowercased word unigrams and bigrams (punctuation dropped; seen in ≥ 3 training sentences);
``l``  lemma unigrams and bigrams (likewise; the shared ``eventwatch.nlp`` spaCy pipeline);
``x``  lexicon hits: for each token whose (lemma, part of speech) is a trigger in the
       event lexicon, the pentacodes and CAMEO roots its patterns can give and the
       lemma itself — whether or not the coder produced an event (a frozen copy of
       the lexicon's lemma → codes map is stored in the model file);
``r``  the rule coder's events: the sentence class the rules give
       (``evaluate.conflibert.sentence_class``), and per event its pentacode,
       pentacode × modality, CAMEO root and code, modality, trigger text, nested or not.

Scores are turned into probabilities with a softmax at a temperature fitted on
cross-validated decision values (it does not change the argmax). The model file is
plain JSON (``data/pentacode_model.json``, no pickle) and is written by
``scripts/train_pentacode.py``; inference needs numpy and spaCy only, training needs
scikit-learn (imported only there).
"""

from __future__ import annotations

import json
import math
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from eventwatch.events.codes import pentacode

CLASSES = (0, 1, 2, 3, 4)
CLASS_NAMES = {0: "make a statement", 1: "verbal cooperation", 2: "material cooperation",
               3: "verbal conflict", 4: "material conflict"}
BLOCKS = ("w", "l", "x", "r")
MODEL_RESOURCE = "data/pentacode_model.json"
FORMAT = 1
_POS = {"VERB": "verb", "AUX": "verb", "NOUN": "noun", "PROPN": "noun", "ADJ": "adj"}

# A token as the features see it: (lowercased text, lowercased lemma, coarse POS).
Tok = tuple[str, str, str]


# --- analysis ----------------------------------------------------------------------

def analyze(texts: Iterable[str], batch_size: int = 64) -> list[list[Tok]]:
    """Tokens, lemmas and POS of each text, from the shared spaCy pipeline (the whole
    pipeline, so that docs the coder already parsed give the same features)."""
    from eventwatch import nlp as nlp_mod

    return [doc_tokens(doc) for doc in nlp_mod.load().pipe(list(texts), batch_size=batch_size)]


def doc_tokens(doc) -> list[Tok]:
    """Feature tokens of an already parsed spaCy doc (or span)."""
    return [(t.lower_, t.lemma_.lower(), t.pos_) for t in doc if not (t.is_punct or t.is_space)]


def lexicon_map() -> dict[str, list[str]]:
    """``"lemma|pos" -> [CAMEO codes]`` of the current event lexicon (discard patterns left out)."""
    from eventwatch.events.lexicon import default_lexicon

    out = {}
    for (lemma, pos), patterns in default_lexicon().patterns.items():
        codes = sorted({p.code for p in patterns if p.code != "-"})
        if codes:
            out[f"{lemma}|{pos}"] = codes
    return dict(sorted(out.items()))


# --- features ------------------------------------------------------------------------

def _ngrams(prefix: str, words: list[str]) -> list[str]:
    return [f"{prefix}:{w}" for w in words] + [f"{prefix}:{a} {b}" for a, b in zip(words, words[1:])]


def lexicon_features(toks: list[Tok], lex: dict[str, list[str]]) -> list[str]:
    out = []
    for lower, lemma, pos in toks:
        p = _POS.get(pos)
        if p is None:
            continue
        for word in (lemma, lower):
            codes = lex.get(f"{word}|{p}")
            if codes:
                out.extend(f"x:pc={pc}" for pc in sorted({pentacode(c) for c in codes}))
                out.extend(f"x:root={r}" for r in sorted({c[:2] for c in codes}))
                out.append(f"x:lem={word}|{p}")
                break
    return out


def rule_class(events) -> int:
    """The rules' pentacode of a sentence (0 when no event): ``evaluate.conflibert.sentence_class``,
    the definition the rules-only evaluation uses."""
    from eventwatch.evaluate.conflibert import sentence_class

    return sentence_class(events)


def event_features(events) -> list[str]:
    out = [f"r:rc={rule_class(events)}"]
    if not events:
        out.append("r:none")
    for e in events:
        pc = pentacode(e.cameo)
        level = "top" if e.parent is None else "sub"
        out += [f"r:pc={pc}", f"r:pc={pc}|{e.modality}", f"r:{level}={pc}", f"r:root={e.cameo[:2]}",
                f"r:cameo={e.cameo}", f"r:mod={e.modality}", f"r:trig={e.trigger_text.lower()}"]
    return out


def features(toks: list[Tok], events, lex: dict[str, list[str]]) -> list[str]:
    """All feature strings of one sentence (block = the prefix before the first ':')."""
    words = [w for w, _, _ in toks]
    lemmas = [lem for _, lem, _ in toks]
    return _ngrams("w", words) + _ngrams("l", lemmas) + lexicon_features(toks, lex) + event_features(events)


# --- the model -------------------------------------------------------------------------

class SentenceClassifier:
    """A trained pentacode classifier (weights, vocabulary, IDF, frozen lexicon map)."""

    def __init__(self, vocab: list[str], idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray,
                 temperature: float, lexicon: dict[str, list[str]], meta: dict | None = None):
        self.vocab = list(vocab)
        self.index = {f: i for i, f in enumerate(self.vocab)}
        self.block = np.array([BLOCKS.index(f.split(":", 1)[0]) for f in self.vocab], dtype=np.int8)
        self.idf = np.asarray(idf, dtype=np.float64)
        self.coef = np.asarray(coef, dtype=np.float64)  # (features, classes)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.temperature = float(temperature)
        self.lexicon = lexicon
        self.meta = meta or {}

    # loading / saving
    @classmethod
    def load(cls, path: str | Path | None = None) -> SentenceClassifier:
        """The packaged model (or one from ``path``)."""
        if path is None:
            raw = resources.files("eventwatch.events").joinpath(MODEL_RESOURCE).read_text(encoding="utf-8")
        else:
            raw = Path(path).read_text(encoding="utf-8")
        d = json.loads(raw)
        if d.get("format") != FORMAT or list(d.get("classes", [])) != list(CLASSES):
            raise ValueError("unsupported pentacode model file")
        return cls(d["vocab"], d["idf"], d["coef"], d["intercept"], d["temperature"], d["lexicon"], d.get("meta"))

    def to_json(self) -> str:
        def r(x, nd):
            return [round(float(v), nd) for v in x]
        d = {"format": FORMAT, "classes": list(CLASSES), "meta": self.meta, "temperature": round(self.temperature, 4),
             "intercept": r(self.intercept, 5), "vocab": self.vocab, "idf": r(self.idf, 4),
             "coef": [r(row, 4) for row in self.coef], "lexicon": self.lexicon}
        return json.dumps(d, ensure_ascii=False, separators=(",", ":"))

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")

    # vectors
    def vector(self, feats: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Sparse TF-IDF vector (indices, values): sublinear tf × idf, L2-normalised per block."""
        counts = Counter(self.index[f] for f in feats if f in self.index)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        val = (1.0 + np.log(tf)) * self.idf[idx]
        blk = self.block[idx]
        norms = np.sqrt(np.bincount(blk, weights=val * val, minlength=len(BLOCKS)))
        val = val / norms[blk]
        return idx, val

    def decision(self, feats: list[str]) -> np.ndarray:
        idx, val = self.vector(feats)
        return val @ self.coef[idx] + self.intercept

    # prediction
    def predict_proba(self, texts: Sequence[str], events_per_text: Sequence[list], docs: Sequence | None = None
                      ) -> list[dict[int, float]]:
        """Class probabilities per text. ``events_per_text``: the rule coder's events of each
        text (``[]`` when none); ``docs``: optional spaCy docs of the texts, to skip re-tagging."""
        if len(texts) != len(events_per_text):
            raise ValueError("texts and events_per_text differ in length")
        toks = [doc_tokens(d) for d in docs] if docs is not None else analyze(texts)
        out = []
        for t, evs in zip(toks, events_per_text):
            s = self.decision(features(t, evs or [], self.lexicon)) * self.temperature
            p = np.exp(s - s.max())
            p /= p.sum()
            out.append({c: float(p[i]) for i, c in enumerate(CLASSES)})
        return out

    def predict(self, texts: Sequence[str], events_per_text: Sequence[list], docs: Sequence | None = None) -> list[int]:
        """The most probable pentacode of each text."""
        return [max(p, key=p.get) for p in self.predict_proba(texts, events_per_text, docs)]


_model: SentenceClassifier | None = None
_lock = threading.Lock()


def load() -> SentenceClassifier:
    """The packaged classifier, loaded once per process on first use."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = SentenceClassifier.load()
    return _model


# --- training (scikit-learn, imported here only) ----------------------------------------

def fit_vocab(docs: list[list[str]], min_df: dict[str, int] | None = None) -> tuple[list[str], np.ndarray]:
    """Vocabulary (features seen in ≥ min_df docs of their block) and smoothed IDF."""
    min_df = min_df or {}
    df: Counter = Counter()
    for feats in docs:
        df.update(set(feats))
    vocab = sorted(f for f, n in df.items() if n >= min_df.get(f.split(":", 1)[0], 1))
    n = len(docs)
    idf = np.array([math.log((1 + n) / (1 + df[f])) + 1.0 for f in vocab])
    return vocab, idf


def matrix(model: SentenceClassifier, docs: list[list[str]]):
    from scipy import sparse

    rows, cols, vals = [], [], []
    for i, feats in enumerate(docs):
        idx, val = model.vector(feats)
        rows.extend([i] * len(idx))
        cols.extend(idx.tolist())
        vals.extend(val.tolist())
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(model.vocab)))


def train(docs: list[list[str]], labels: Sequence[int], lexicon: dict[str, list[str]], c: float = 1.0,
          min_df: dict[str, int] | None = None, temperature: float = 1.0, meta: dict | None = None,
          algorithm: str = "svm") -> SentenceClassifier:
    """Fit a classifier on feature lists (see ``features``) and gold pentacodes."""
    vocab, idf = fit_vocab(docs, min_df)
    k = len(CLASSES)
    model = SentenceClassifier(vocab, idf, np.zeros((len(vocab), k)), np.zeros(k), temperature, lexicon, meta)
    X = matrix(model, docs)
    y = np.asarray(labels)
    if algorithm == "svm":
        from sklearn.svm import LinearSVC

        clf = LinearSVC(C=c, max_iter=20000, random_state=0)
    elif algorithm == "logreg":
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression(C=c, max_iter=20000)
    else:
        raise ValueError(f"unknown algorithm {algorithm!r}")
    clf.fit(X, y)
    if list(clf.classes_) != list(CLASSES):
        raise ValueError("training data must contain all five classes")
    model.coef = clf.coef_.T.copy()
    model.intercept = clf.intercept_.copy()
    return model


def fit_temperature(scores: np.ndarray, labels: Sequence[int]) -> float:
    """The softmax temperature minimising log loss of held-out decision values."""
    y = np.asarray(labels)
    best, best_t = math.inf, 1.0
    for t in np.exp(np.linspace(math.log(0.1), math.log(50), 400)):
        s = scores * t
        s = s - s.max(axis=1, keepdims=True)
        nll = -(s[np.arange(len(y)), y] - np.log(np.exp(s).sum(axis=1))).mean()
        if nll < best:
            best, best_t = nll, float(t)
    return best_t
