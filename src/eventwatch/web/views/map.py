"""Map of event locations: offline world shapes, places as circles, countries shaded by counts."""

from __future__ import annotations

from fastapi import APIRouter, Request

from eventwatch.api.deps import FilterDep, StoreDep
from eventwatch.api.registry import Extension, NavItem
from eventwatch.store import query as Q
from eventwatch.web.render import render
from eventwatch.web.views._common import event_link
from eventwatch.web.worldmap import map_svg

router = APIRouter()


@router.get("/map")
def world_map(request: Request, store: StoreDep, f: FilterDep):
    places = Q.places(store, f)
    by_country = Q.countries(store, f)
    return render(request, "map.html", {
        "title": "Map", "facets": Q.facets(store), "filter": f, "places": places[:25], "n_places": len(places),
        "located": sum(p["count"] for p in places), "total": Q.count_events(store, f),
        "svg": map_svg(places, by_country, event_link(f)),
    })


extension = Extension(name="map", pages=router, nav=(NavItem("Map", "/map", 30),), order=30)
