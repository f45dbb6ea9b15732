"""Code loose sentences (gold sets, JSONL) in memory, without an archive."""

from __future__ import annotations

from collections.abc import Iterable

from eventwatch.extract import article_id
from eventwatch.model import Article, Event


def code_texts(items: Iterable[tuple[str, str, str | None]], workers: int = 1, batch: int = 64) -> dict[str, list[Event]]:
    """``{item id: events}`` for ``(id, text, date)`` items."""
    from eventwatch import engine
    from eventwatch.events.pipeline import code_batch, warm

    arts: list[Article] = []
    ids: dict[str, str] = {}
    for sid, text, date in items:
        a = Article(id=article_id(text + "\x00" + sid), body=text, published=date, lang="en", source_id=sid)
        ids[a.id] = sid
        arts.append(a)
    out: dict[str, list[Event]] = {sid: [] for sid in ids.values()}
    batches = [arts[i : i + batch] for i in range(0, len(arts), batch)]
    for coded in engine.imap(code_batch, batches, workers=workers, chunksize=1, initializer=warm):
        for c in coded:
            out[ids[c.article_id]] = c.events
    return out


def top_level(events: list[Event]) -> list[Event]:
    """The sentence's own events: not nested under another event (the content of a claim,
    threat or agreement), and not negated or hypothetical ("did not attack", "could strike")."""
    return [e for e in events if e.parent is None and e.modality not in ("negated", "hypothetical")]
