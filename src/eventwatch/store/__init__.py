"""Storage: the only place that speaks SQL. SQLite (WAL) is the embedded default.

``Store`` is the one interface the rest of eventwatch uses; its parts live in
submodules by area (articles and search here, events and the rest beside it).
"""

from __future__ import annotations

from eventwatch.store.articles import HL_END, HL_START, ArticlesMixin, SearchHit
from eventwatch.store.db import Database, StoreError, default_path, now
from eventwatch.store.events import EventsMixin
from eventwatch.store.runs import RunsMixin
from eventwatch.store.tracking import TrackingMixin


class Store(TrackingMixin, RunsMixin, EventsMixin, ArticlesMixin, Database):
    """An eventwatch database."""

    def stats(self) -> dict:
        return {**self.archive_stats(), **self.event_stats()}


def open_store(path: str | None = None, readonly: bool = False) -> Store:
    return Store(path, readonly=readonly)


__all__ = ["HL_END", "HL_START", "SearchHit", "Store", "StoreError", "default_path", "now", "open_store"]
