"""Overview: events over time by QuadClass, top actor pairs, cooperation/conflict balance per pair."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from eventwatch.api.deps import FilterDep, StoreDep
from eventwatch.api.registry import Extension, NavItem
from eventwatch.store import query as Q
from eventwatch.web.charts import balance_svg, legend, timeline_svg
from eventwatch.web.render import render
from eventwatch.web.views._common import event_link

router = APIRouter()


@router.get("/")
def overview(request: Request, store: StoreDep, f: FilterDep,
             period: Annotated[str | None, Query(pattern="^(day|week|month|year)$")] = None,
             unit: Annotated[str, Query(pattern="^(events|mentions)$")] = "events",
             level: Annotated[str, Query(pattern="^(code|country)$")] = "code"):
    period = period or Q.auto_period(store, f)
    link = event_link(f)
    pairs = Q.top_pairs(store, f, 15, level, unit)
    for p in pairs:
        p["bar"] = balance_svg(p["balance"], p)
        p["href"] = link(pair=f"{p['actor_a']},{p['actor_b']}")
    stats = store.stats()
    return render(request, "overview.html", {
        "title": "Overview", "facets": Q.facets(store), "filter": f, "period": period, "unit": unit, "level": level,
        "chart": timeline_svg(Q.timeline(store, f, period, unit), period, link), "legend": legend(),
        "pairs": pairs, "stats": stats, "total": Q.count_events(store, f),
    })


extension = Extension(name="overview", pages=router, nav=(NavItem("Overview", "/", 10),), order=10)
