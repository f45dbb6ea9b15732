"""Helpers shared by the built-in pages."""

from __future__ import annotations

from eventwatch.store.query import EventFilter
from eventwatch.web.render import qs


def event_link(f: EventFilter, base: str = "/events"):
    """``link(**changes)`` → the event list URL for this filter with ``changes`` applied."""
    params = f.params()

    def link(**changes) -> str:
        return base + qs(params, **{k: v for k, v in changes.items()})

    return link
