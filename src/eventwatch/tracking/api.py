"""/api/agreements, /api/accusations, /api/quotes: the tracker's JSON (records as in
docs/tracking.md). Loaded by the app registry (``eventwatch.api.registry.OPTIONAL_MODULES``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from eventwatch.api.deps import StoreDep, json_response
from eventwatch.api.registry import Extension

router = APIRouter(tags=["tracking"])

Party = Annotated[str | None, Query(max_length=64, description="Party or broker: code prefix (RUS, SYRGOV), ISO3 or name")]
Since = Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="From YYYY[-MM[-DD]]")]
Until = Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="Until YYYY[-MM[-DD]]")]
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0)]


def agreement_page(store, party=None, place=None, type_=None, state=None, since=None, until=None,
                   mentioned: bool = False, limit: int = 50, offset: int = 0) -> dict:
    from eventwatch.tracking.agreements import agreement_record

    if not store.has_tracking():
        return {"total": 0, "items": []}
    until_day = until + "-31" if until and len(until) == 7 else until + "-12-31" if until and len(until) == 4 else until
    ids = store.list_agreement_ids(party, place, type_, state, since, until_day)
    if mentioned:
        ids = [i for i in ids if store.scalar("SELECT mentions FROM agreements WHERE id = ?", (i,))]
    items = [agreement_record(store, i, full=False) for i in ids[offset : offset + limit]]
    return {"total": len(ids), "items": [r for r in items if r]}


@router.get("/agreements", summary="Agreements and ceasefires")
def list_agreements(store: StoreDep, party: Party = None,
                    place: Annotated[str | None, Query(max_length=64, description="Country ISO3 or place name")] = None,
                    type: Annotated[str | None, Query(pattern="^(ceasefire|agreement|talks)$")] = None,
                    state: Annotated[str | None, Query(max_length=32, description="Reached this lifecycle state")] = None,
                    since: Since = None, until: Until = None,
                    mentioned: Annotated[bool, Query(description="Only agreements mentioned in the archive")] = False,
                    limit: Limit = 50, offset: Offset = 0):
    """Agreements (detected in the archive or imported from PA-X / ETH-PRIO) with ``parties``,
    ``brokers`` (resolved codes), ``place``, ``records`` and the lifecycle ``states`` — each with
    its ``date`` and ``evidence`` (sentences with offsets, or curated records)."""
    return json_response(agreement_page(store, party, place, type, state, since, until, mentioned, limit, offset))


@router.get("/agreements/{agreement_id}", summary="One agreement's timeline")
def get_agreement(store: StoreDep, agreement_id: str):
    """The agreement with its timeline, every mention (with link confidence and reason) and the
    accusations of breaching it."""
    from eventwatch.tracking.agreements import agreement_record

    rec = agreement_record(store, agreement_id) if store.has_tracking() else None
    if rec is None:
        raise HTTPException(status_code=404, detail=f"no agreement {agreement_id!r}")
    return json_response(rec)


@router.get("/accusations", summary="Accusation network")
def accusations(store: StoreDep, party: Party = None, since: Since = None, until: Until = None,
                level: Annotated[str, Query(pattern="^(country|actor)$")] = "country",
                min_spike: Annotated[int, Query(ge=1, le=1000)] = 3):
    """Edges accuser → accused with counts, alleged event types and weekly series; ``mutual_spikes``
    flags weeks in which two sides accuse each other well above their usual level."""
    from eventwatch.tracking.accusations import network

    rows = store.accusation_rows(party, since, until) if store.has_tracking() else []
    return json_response(network(rows, level=level, min_spike=min_spike))


@router.get("/accusations/rows", summary="Accusations, one per sentence")
def accusation_rows(store: StoreDep, party: Party = None, since: Since = None, until: Until = None,
                    limit: Limit = 100, offset: Offset = 0):
    rows = store.accusation_rows(party, since, until) if store.has_tracking() else []
    return json_response({"total": len(rows), "items": rows[offset : offset + limit]})


@router.get("/quotes", summary="Quotes with speakers")
def quotes(store: StoreDep, speaker: Annotated[str | None, Query(max_length=64, description="Code, country or name")] = None,
           article: Annotated[str | None, Query(max_length=64)] = None,
           kind: Annotated[str | None, Query(pattern="^(direct|partial|indirect)$")] = None,
           limit: Limit = 100, offset: Offset = 0):
    """Quotes: ``text``, ``kind``, ``speaker`` (``text``, ``code``, ``country`` …), ``article_id``,
    ``start``/``end`` offsets into the article body."""
    from eventwatch.tracking.quotes import quote_record

    if not store.has_tracking():
        return json_response({"items": []})
    rows = store.iter_quote_rows(speaker, article, kind, limit + offset)
    items = [quote_record(r) for i, r in enumerate(rows) if i >= offset]
    return json_response({"items": items})


extension = Extension(name="tracking-api", api=router, tags=("tracking",), order=60)
