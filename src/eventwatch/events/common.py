"""Small helpers shared by the coder's parts: event ids and actor comparisons."""

from __future__ import annotations

import hashlib

from eventwatch.model import Actor


def event_id(article_id: str, *parts) -> str:
    """A stable id from the article and what makes the event (offsets, codes, parent)."""
    raw = "|".join([article_id, *[str(p) for p in parts]])
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def same(a: Actor, b: Actor) -> bool:
    """Whether two mentions are the same actor: the same code, or the same span when uncoded."""
    if a.code and b.code:
        return a.code == b.code
    return a.start == b.start and a.end == b.end


def shift(a: Actor | None, base: int) -> Actor | None:
    """The actor with its offsets moved by ``base`` (a chunk's offset in the article body)."""
    if a is None or base == 0:
        return a
    return Actor(text=a.text, start=a.start + base, end=a.end + base, code=a.code, country=a.country,
                 sector=a.sector, name=a.name, confidence=a.confidence, reason=a.reason)
