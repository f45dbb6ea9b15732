"""/api/dyads, /api/timeline, /api/pairs, /api/network, /api/places, /api/stats, /api/facets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from eventwatch.api.deps import FilterDep, StoreDep, json_response
from eventwatch.api.registry import Extension
from eventwatch.api.schemas import DyadRow, Network, PlaceRow
from eventwatch.store import query as Q

router = APIRouter(tags=["aggregates"])
Period = Annotated[str, Query(pattern="^(day|week|month|year)$", description="Time bin; weeks start on Monday")]
Level = Annotated[str, Query(pattern="^(code|country)$", description="Actor level: full code (RUSGOV) or country (RUS)")]
Unit = Annotated[str, Query(pattern="^(events|mentions)$",
                            description="events: deduplicated factual events; mentions: every coded mention")]


@router.get("/dyads", response_model=list[DyadRow], summary="Dyad time series")
def get_dyads(store: StoreDep, f: FilterDep, period: Period = "month", level: Level = "code", unit: Unit = "events",
              directed: Annotated[bool, Query(description="A→B apart from B→A")] = True):
    """Counts and Goldstein sums per actor pair per period, split by QuadClass (q1–q4)."""
    return json_response(Q.dyads(store, f, period, directed, level, unit))


@router.get("/timeline", summary="Events over time by QuadClass")
def get_timeline(store: StoreDep, f: FilterDep, period: Annotated[str | None, Query(pattern="^(day|week|month|year)$")] = None,
                 unit: Unit = "events"):
    period = period or Q.auto_period(store, f)
    return json_response({"period": period, "unit": unit, "bins": Q.timeline(store, f, period, unit)})


@router.get("/pairs", summary="Top actor pairs with their cooperation/conflict balance")
def get_pairs(store: StoreDep, f: FilterDep, level: Level = "code", unit: Unit = "events",
              limit: Annotated[int, Query(ge=1, le=200)] = 15, directed: bool = False):
    return json_response(Q.top_pairs(store, f, limit, level, unit, directed))


@router.get("/network", response_model=Network, summary="Actor network")
def get_network(store: StoreDep, f: FilterDep, level: Level = "country", unit: Unit = "events",
                max_edges: Annotated[int, Query(ge=1, le=500)] = 60):
    """Who acts on whom: directed edges with counts, Goldstein sums and the conflict share."""
    return json_response(Q.network(store, f, level, unit, max_edges))


@router.get("/places", response_model=list[PlaceRow], summary="Event locations")
def get_places(store: StoreDep, f: FilterDep, limit: Annotated[int, Query(ge=1, le=10000)] = 2000):
    """Located event mentions grouped by place, with counts per QuadClass."""
    return json_response(Q.places(store, f, limit))


@router.get("/stats", summary="Archive and event counts")
def get_stats(store: StoreDep):
    return json_response(store.stats())


@router.get("/facets", summary="Values for filter menus")
def get_facets(store: StoreDep):
    return json_response(Q.facets(store))


extension = Extension(name="aggregates", api=router, order=20)
