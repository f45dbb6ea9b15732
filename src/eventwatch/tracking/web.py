"""Tracker pages: agreements (list and timeline with accusation arrows), the accusation network,
quotes. Loaded by the app registry (``eventwatch.api.registry.OPTIONAL_MODULES``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from eventwatch.api.deps import StoreDep
from eventwatch.api.registry import Extension, NavItem
from eventwatch.web.render import qs, render

router = APIRouter()
TYPES = ("", "ceasefire", "agreement", "talks")
STATES = ("", "proposed", "negotiated", "signed", "declared", "in_force", "breach_alleged", "collapsed",
          "revival_talks", "renewed")
Text = Annotated[str | None, Query(max_length=64)]
Day = Annotated[str | None, Query(max_length=10, pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")]


def _blank(v: str | None) -> str | None:
    return v or None


@router.get("/agreements")
def agreements(request: Request, store: StoreDep, party: Text = None, place: Text = None,
               type: Annotated[str | None, Query(pattern="^(ceasefire|agreement|talks)?$")] = None,
               state: Annotated[str | None, Query(max_length=32)] = None, since: Day = None, until: Day = None,
               all: Annotated[bool, Query()] = False, page: Annotated[int, Query(ge=1, le=10000)] = 1):
    from eventwatch.tracking.api import agreement_page

    per = 50
    res = agreement_page(store, _blank(party), _blank(place), _blank(type), _blank(state), _blank(since),
                         _blank(until), mentioned=not all, limit=per, offset=(page - 1) * per)
    return render(request, "tracking_agreements.html", {
        "title": "Agreements", "res": res, "page": page, "per": per, "types": TYPES, "states": STATES,
        "f": {"party": party or "", "place": place or "", "type": type or "", "state": state or "",
              "since": since or "", "until": until or "", "all": all},
    })


@router.get("/agreements/{agreement_id}")
def agreement(request: Request, store: StoreDep, agreement_id: str):
    from eventwatch.tracking.agreements import agreement_record
    from eventwatch.tracking.svg import timeline_svg

    rec = agreement_record(store, agreement_id) if store.has_tracking() else None
    if rec is None:
        raise HTTPException(status_code=404, detail=f"no agreement {agreement_id}")

    def evidence_link(s: dict) -> str:
        return f"#state-{rec['states'].index(s)}"

    return render(request, "tracking_agreement.html", {
        "title": rec["name"] or rec["id"], "rec": rec, "svg": timeline_svg(rec, evidence_link),
    })


@router.get("/accusations")
def accusations(request: Request, store: StoreDep, party: Text = None, since: Day = None, until: Day = None,
                level: Annotated[str, Query(pattern="^(country|actor)$")] = "country",
                min_spike: Annotated[int, Query(ge=1, le=1000)] = 3):
    from eventwatch.tracking.accusations import network
    from eventwatch.tracking.svg import network_svg

    rows = store.accusation_rows(_blank(party), _blank(since), _blank(until)) if store.has_tracking() else []
    net = network(rows, level=level, min_spike=min_spike)
    return render(request, "tracking_accusations.html", {
        "title": "Accusations", "net": net, "svg": network_svg(net), "level": level, "min_spike": min_spike,
        "f": {"party": party or "", "since": since or "", "until": until or ""},
    })


@router.get("/quotes")
def quotes(request: Request, store: StoreDep, speaker: Text = None,
           kind: Annotated[str | None, Query(pattern="^(direct|partial|indirect)?$")] = None,
           page: Annotated[int, Query(ge=1, le=10000)] = 1):
    from eventwatch.tracking.quotes import quote_record

    per = 100
    rows = []
    if store.has_tracking():
        for i, r in enumerate(store.iter_quote_rows(_blank(speaker), None, _blank(kind), per * page)):
            if i >= per * (page - 1):
                rows.append(quote_record(r))
    return render(request, "tracking_quotes.html", {
        "title": "Quotes", "quotes": rows, "page": page, "per": per,
        "f": {"speaker": speaker or "", "kind": kind or ""},
    })


extension = Extension(
    name="tracking", pages=router, templates=Path(__file__).parent / "templates", order=60,
    nav=(NavItem("Agreements", "/agreements", 60), NavItem("Accusations", "/accusations", 61),
         NavItem("Quotes", "/quotes", 62)),
    extra={"qs": qs},
)
