"""/api/articles: list, full-text search with snippets, get one with its events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from eventwatch.api.deps import Limit, Offset, StoreDep, json_response
from eventwatch.api.registry import Extension
from eventwatch.api.schemas import Article, ArticlePage
from eventwatch.store import query as Q

router = APIRouter(tags=["articles"])


@router.get("/articles", response_model=ArticlePage, summary="List or search articles")
def list_articles(
    store: StoreDep,
    q: Annotated[str | None, Query(description="Full-text query (FTS5 syntax: words, \"phrases\", OR, NOT, prefix*)")] = None,
    outlet: Annotated[str | None, Query(description="Outlet name")] = None,
    since: Annotated[str | None, Query(description="Published from (YYYY-MM-DD)")] = None,
    until: Annotated[str | None, Query(description="Published to, inclusive")] = None,
    collapse: Annotated[bool, Query(description="One hit per near-duplicate cluster")] = False,
    limit: Limit = 20,
    offset: Offset = 0,
):
    """Without ``q``: articles newest first. With ``q``: BM25-ranked hits with snippets; the
    matched words sit between the control characters U+0002 and U+0003."""
    if not q:
        return json_response(Q.list_articles(store, outlet, since, until, limit, offset))
    hits = Q.search(store, q, limit=limit + offset + (200 if (outlet or since or until) else 0), collapse=collapse)
    items = []
    for h in hits:
        if outlet and (h.outlet or "").lower() != outlet.lower():
            continue
        if since and (h.published or "") < since:
            continue
        if until and (h.published or "") > until + "~":
            continue
        items.append({"id": h.id, "title": h.title, "outlet": h.outlet, "published": h.published,
                      "snippet": h.snippet, "rank": h.rank, "cluster": h.cluster, "cluster_hits": h.cluster_hits})
    return json_response({"total": None, "limit": limit, "offset": offset, "items": items[offset : offset + limit]})


@router.get("/articles/{article_id}", response_model=Article, summary="One article with its events")
def get_article(store: StoreDep, article_id: str):
    """The stored article (body as coded: event offsets index into it) and its events. A unique
    id prefix of at least 6 characters works too."""
    art = store.get_article(article_id)
    if art is None:
        raise HTTPException(status_code=404, detail=f"no article {article_id!r}")
    return json_response({
        "id": art.id, "title": art.title, "outlet": art.outlet, "published": art.published, "url": art.url,
        "dateline": art.dateline, "lang": art.lang, "author": art.author, "captions": art.captions,
        "body": art.body, "duplicate_of": art.duplicate_of, "events": Q.article_event_rows(store, art.id),
    })


extension = Extension(name="articles", api=router, order=10)
