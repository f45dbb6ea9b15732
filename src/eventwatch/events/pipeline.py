"""Coding stage: batches of articles → events, and the orchestration that stores them.

``code_batch`` is a pure function over a list of articles (spaCy and the lexicon are
loaded once per process), so the same code runs in-process, in a process pool, or
on cluster workers. ``code_store`` reads uncoded articles from the store, runs the
batches through an executor and writes each article's events in its own
transaction: re-coding replaces, never duplicates.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from eventwatch import __version__, engine
from eventwatch.model import Article, Event

CODER_VERSION = f"eventwatch-{__version__}"
NOT_CODED_LANGS_MSG = "not English (archived, not coded)"


@dataclass(slots=True)
class Coded:
    article_id: str
    events: list[Event]
    status: str = "ok"  # ok | failed | skipped
    reason: str | None = None
    tracking: tuple | None = None  # (event records, quotes, agreement mentions) from the same parse


def tracking_enabled() -> bool:
    return not os.environ.get("EVENTWATCH_NO_TRACK")


_coder = None


def _get_coder():
    global _coder
    if _coder is None:
        from eventwatch.events.coder import Coder

        _coder = Coder()
    return _coder


_WARM_TEXT = ("The foreign minister said on Monday in Geneva that the government accused rebels of "
              "shelling the city on December 30. \"We will not accept it,\" he said.")


def warm() -> None:
    """Load spaCy, the lexicon and everything the coder loads on first use (the actor KB, the
    gazetteer, the quote grammar, the date parser) by coding one short text: the process-pool initializer, so a
    worker's first batch is not slower than the others."""
    from eventwatch import nlp

    nlp.load()
    _get_coder()
    code_batch([Article(id="warm-up", body=_WARM_TEXT, lang="en", published="2020-01-06")])


def code_batch(articles: list[Article], batch_size: int = 32, track: bool | None = None) -> list[Coded]:
    """Code a batch of articles; failures are returned with their reason, never raised.

    With tracking on (the default unless ``EVENTWATCH_NO_TRACK`` is set), the article's quotes
    and agreement mentions are detected on the same parse, so the archive is parsed once."""
    track = tracking_enabled() if track is None else track
    from eventwatch import nlp as nlp_mod
    from eventwatch.events.coder import chunks

    nlp = nlp_mod.load()
    coder = _get_coder()
    out: list[Coded] = []
    todo: list[Article] = []
    for a in articles:
        if a.lang not in ("en", "und", None):
            out.append(Coded(a.id, [], "skipped", NOT_CODED_LANGS_MSG))
        else:
            todo.append(a)
    pieces = [((i, start), text) for i, a in enumerate(todo) for start, text in chunks(a.body)]
    parsed: dict[int, list] = {i: [] for i in range(len(todo))}
    try:
        for doc, (i, start) in nlp.pipe(((t, ctx) for ctx, t in pieces), as_tuples=True, batch_size=batch_size):
            parsed[i].append((start, doc))
    except Exception:  # a parser failure on one piece: parse the articles one by one
        parsed = {i: _parse_one(nlp, a) for i, a in enumerate(todo)}
    for i, a in enumerate(todo):
        docs = parsed[i]
        if isinstance(docs, Exception):
            out.append(Coded(a.id, [], "failed", f"parse failed: {type(docs).__name__}: {docs}"))
            continue
        try:
            events = coder.code(a, docs)
        except Exception as exc:  # never stop the batch for one article
            out.append(Coded(a.id, [], "failed", f"coding failed: {type(exc).__name__}: {exc}"))
            continue
        tracking = _detect(a, docs, events, coder.places_of_last_article(), coder.quotes_of_last_article()) \
            if track else None
        out.append(Coded(a.id, events, tracking=tracking))
    return out


def _detect(article: Article, docs: list, events: list[Event], places: dict | None = None,
            quotes: list | None = None) -> tuple | None:
    """Quotes and agreement mentions from the coder's parse (the tracking stage's pure part); a
    failure here leaves the article to the tracking stage, which parses it again."""
    from eventwatch.store.events import event_record
    from eventwatch.tracking.stage import detect_article

    try:
        records = [event_record(e, CODER_VERSION) for e in events]
        return (records, *detect_article(article, docs, records, places, quotes))
    except Exception:
        return None


def _parse_one(nlp, a: Article):
    from eventwatch.events.coder import chunks

    try:
        return [(start, nlp(text)) for start, text in chunks(a.body)]
    except Exception as exc:
        return exc


@dataclass
class CodeReport:
    articles: int = 0
    events: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"articles": self.articles, "events": self.events, "failed": self.failed, "skipped": self.skipped}


def _paged(store, recode: bool, article_ids: list[str] | None, page: int = 500) -> Iterator[Article]:
    """Articles to code, read ``page`` at a time (bounded memory however large the archive)."""
    ids = article_ids if article_ids is not None else store.ids_to_code(recode)
    for i in range(0, len(ids), page):
        yield from store.articles_to_code(recode=recode, article_ids=ids[i:i + page])


def code_store(store, recode: bool = False, workers: int = 1, article_ids: list[str] | None = None,
               batch: int = 16, on_batch: Callable[[CodeReport, int], None] | None = None,
               engine_name: str = "local", address: str | None = None) -> CodeReport:
    """Code the uncoded articles (all with ``recode``) through the ``engine_name`` executor."""
    report = CodeReport()
    articles = _paged(store, recode, article_ids)
    with engine.get_executor(engine_name, workers, address) as ex:
        for coded_batch in ex.map(code_batch, engine.chunks(articles, batch), setup=warm):
            _store_coded(store, coded_batch, report)
            if on_batch:
                on_batch(report, len(coded_batch))
    if report.articles:
        store.optimize()
    return report


def _store_coded(store, coded_batch: list[Coded], report: CodeReport) -> None:
    """One transaction per batch: a crash loses at most the batch in flight, re-coding replaces."""
    with store.transaction():
        for c in coded_batch:
            store.replace_events(c.article_id, c.events, CODER_VERSION, c.status, c.reason)
            if c.tracking is not None and c.status == "ok":
                _store_tracking(store, c)
            report.articles += 1
            report.events += len(c.events)
            if c.status == "failed":
                report.failed += 1
                report.failures.append((c.article_id, c.reason or ""))
            elif c.status == "skipped":
                report.skipped += 1


def _store_tracking(store, c: Coded) -> None:
    from eventwatch.tracking.stage import store_tracking

    if not hasattr(store, "coding_key"):
        return
    try:
        store.ensure_tracking()
        records, quotes, mentions = c.tracking
        store_tracking(store, store.get_article(c.article_id), store.coding_key(c.article_id), records, quotes,
                       mentions)
    except Exception:  # tracking never fails the coding; the tracking stage retries the article
        pass
