"""Event list with the shared filters, and the article reader with the evidence highlighted."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse

from eventwatch.api.deps import FilterDep, StoreDep
from eventwatch.api.registry import Extension, NavItem
from eventwatch.export import FORMATS
from eventwatch.store import query as Q
from eventwatch.web.highlight import event_spans, highlight
from eventwatch.web.render import qs, render

router = APIRouter()
PAGE = 50


@router.get("/events")
def events(request: Request, store: StoreDep, f: FilterDep,
           page: Annotated[int, Query(ge=1, le=100000)] = 1,
           sort: Annotated[str, Query(pattern="^(-?date|confidence|-?goldstein)$")] = "-date"):
    pool = request.app.state.stores
    data = Q.page_events(store, f, PAGE, (page - 1) * PAGE, sort,
                         count=lambda s, flt: pool.cached_count(s, flt, Q.count_events))
    params = f.params()
    pages = max(1, -(-data["total"] // PAGE))
    return render(request, "events.html", {
        "title": "Events", "facets": Q.facets(store), "filter": f, "data": data, "page": page, "pages": pages,
        "sort": sort, "prev": qs({**params, "sort": sort}, page=page - 1 if page > 1 else None) if page > 1 else None,
        "next": qs({**params, "sort": sort}, page=page + 1) if page < pages else None,
        "exports": [(name, "/api/export/" + name + qs(params)) for name in FORMATS],
    })


@router.get("/events/{event_id}")
def event(store: StoreDep, event_id: str):
    rec = Q.get_event(store, event_id)
    if rec is None:
        raise HTTPException(status_code=404, detail=f"no event {event_id}")
    return RedirectResponse(f"/articles/{rec['article_id']}{qs({}, event=event_id)}#evidence", status_code=303)


@router.get("/articles/{article_id}")
def reader(request: Request, store: StoreDep, article_id: str,
           event: Annotated[str | None, Query(max_length=64)] = None):
    art = store.get_article(article_id)
    if art is None:
        raise HTTPException(status_code=404, detail=f"no article {article_id}")
    events = Q.article_event_rows(store, art.id)
    selected = None
    if event:
        selected = Q.get_event(store, event)
        if selected is None or selected["article_id"] != art.id:
            raise HTTPException(status_code=404, detail=f"no event {event} in this article")
    spans = event_spans(selected) if selected else []
    others = [(e["trigger"]["start"], e["trigger"]["end"], "other") for e in events
              if not selected or e["id"] != selected["id"]]
    return render(request, "reader.html", {
        "title": art.title or "Article", "article": art, "events": events, "ev": selected,
        "body": highlight(art.body, spans + others),
    })


extension = Extension(name="events-ui", pages=router, nav=(NavItem("Events", "/events", 20),), order=20)
