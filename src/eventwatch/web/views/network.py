"""Actor network: who acts on whom, edges coloured by conflict/cooperation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from eventwatch.api.deps import FilterDep, StoreDep
from eventwatch.api.registry import Extension, NavItem
from eventwatch.store import query as Q
from eventwatch.web.graph import network_svg
from eventwatch.web.render import render
from eventwatch.web.views._common import event_link

router = APIRouter()


@router.get("/network")
def network(request: Request, store: StoreDep, f: FilterDep,
            level: Annotated[str, Query(pattern="^(code|country)$")] = "country",
            unit: Annotated[str, Query(pattern="^(events|mentions)$")] = "events",
            edges: Annotated[int, Query(ge=1, le=100)] = 40):
    net = Q.network(store, f, level, unit, edges)
    return render(request, "network.html", {
        "title": "Actor network", "facets": Q.facets(store), "filter": f, "level": level, "unit": unit,
        "edges": edges, "net": net, "svg": network_svg(net, event_link(f)),
    })


extension = Extension(name="network", pages=router, nav=(NavItem("Network", "/network", 40),), order=40)
