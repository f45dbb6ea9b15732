"""/api/events: filter, get with evidence."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from eventwatch.api.deps import FilterDep, Limit, Offset, Sort, StoreDep, json_response
from eventwatch.api.registry import Extension
from eventwatch.api.schemas import EventDetail, EventPage
from eventwatch.store import query as Q

router = APIRouter(tags=["events"])


@router.get("/events", response_model=EventPage, summary="Filter events")
def list_events(request: Request, store: StoreDep, f: FilterDep, limit: Limit = 50, offset: Offset = 0,
                sort: Sort = "-date"):
    """Event mentions matching the filters, newest first by default, with the total count."""
    pool = request.app.state.stores
    return json_response(Q.page_events(store, f, limit, offset, sort,
                                       count=lambda s, flt: pool.cached_count(s, flt, Q.count_events)))


@router.get("/events/{event_id}", response_model=EventDetail, summary="One event with its evidence")
def get_event(store: StoreDep, event_id: str):
    """The event record, the deduplicated event it belongs to (all mentions), nested claims it
    reports, and its article's metadata. Offsets point into ``GET /api/articles/{article_id}``'s body."""
    rec = Q.get_event(store, event_id)
    if rec is None:
        raise HTTPException(status_code=404, detail=f"no event {event_id!r}")
    art = store.get_article(rec["article_id"])
    rec["article"] = {"id": art.id, "title": art.title, "outlet": art.outlet, "published": art.published,
                      "url": art.url} if art else None
    return json_response(rec)


extension = Extension(name="events", api=router, order=10)
