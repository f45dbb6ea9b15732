"""Search across the archive (FTS5, BM25) with highlighted snippets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from eventwatch.api.deps import StoreDep
from eventwatch.api.registry import Extension, NavItem
from eventwatch.store import query as Q
from eventwatch.web.render import render

router = APIRouter()


@router.get("/search")
def search(request: Request, store: StoreDep, q: Annotated[str | None, Query(max_length=500)] = None,
           collapse: bool = True):
    hits = Q.search(store, q, limit=50, collapse=collapse) if q and q.strip() else []
    events = {}
    if hits:
        for h in hits:
            events[h.id] = Q.count_events(store, Q.EventFilter(article=h.id))
    recent = Q.list_articles(store, limit=20)["items"] if not q else []
    return render(request, "search.html", {"title": "Search", "q": q or "", "hits": hits, "events": events,
                                           "recent": recent, "collapse": collapse})


extension = Extension(name="search", pages=router, nav=(NavItem("Search", "/search", 50),), order=50)
