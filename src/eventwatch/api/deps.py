"""Shared request dependencies: the database, the event filter, paging, JSON and the write token."""

from __future__ import annotations

import hmac
import json
import threading
from collections import OrderedDict
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from fastapi.responses import Response

from eventwatch.store import Store
from eventwatch.store.query import SORTS, EventFilter, FilterError


class StorePool:
    """One read-only connection per worker thread (SQLite connections are not shared across
    threads), and one writer connection, opened lazily, for token-protected endpoints."""

    def __init__(self, path: str):
        self.path = path
        self._local = threading.local()
        self._all: list[tuple[threading.Thread, Store]] = []
        self._lock = threading.Lock()
        self._writer: Store | None = None
        self._watcher: Store | None = None
        self._counts: OrderedDict = OrderedDict()

    def data_version(self) -> int:
        """A number that changes whenever anyone commits to the database: ``PRAGMA data_version`` of
        one watcher connection (it changes when *other* connections commit, which is all of them)."""
        with self._lock:
            if self._watcher is None:
                self._watcher = Store(self.path, readonly=True)
            return self._watcher.conn.execute("PRAGMA data_version").fetchone()[0]

    def cached_count(self, store: Store, f: EventFilter, compute) -> int:
        """``compute(store, f)``, remembered per filter until the database changes (paging through a
        filter counts it once)."""
        key = tuple(sorted(f.params().items()))
        version = self.data_version()
        with self._lock:
            hit = self._counts.get(key)
            if hit and hit[0] == version:
                self._counts.move_to_end(key)
                return hit[1]
        n = compute(store, f)
        with self._lock:
            self._counts[key] = (version, n)
            while len(self._counts) > 4096:
                self._counts.popitem(last=False)
        return n

    def reader(self) -> Store:
        s = getattr(self._local, "store", None)
        if s is None:
            s = Store(self.path, readonly=True)
            s.conn.execute("PRAGMA query_only = ON")
            self._local.store = s
            with self._lock:
                self._close_orphans()
                self._all.append((threading.current_thread(), s))
        return s

    def _close_orphans(self) -> None:
        """Close the connections of worker threads that have ended (the server's thread pool lets
        idle threads go and starts new ones): a long-running server does not pile them up."""
        keep = []
        for thread, store in self._all:
            if thread.is_alive():
                keep.append((thread, store))
            else:
                try:
                    store.close()
                except Exception:  # noqa: BLE001 - an unusable connection is dropped all the same
                    pass
        self._all = keep

    @property
    def open_readers(self) -> int:
        with self._lock:
            return len(self._all)

    def writer(self) -> Store:
        with self._lock:
            if self._writer is None:
                self._writer = Store(self.path)
            return self._writer

    def close(self) -> None:
        with self._lock:
            for _thread, s in self._all:
                try:
                    s.close()
                except Exception:  # noqa: BLE001 - closing from another thread may fail; the process is ending
                    pass
            self._all.clear()
            for extra in (self._writer, self._watcher):
                if extra is not None:
                    extra.close()
            self._writer = self._watcher = None


def get_store(request: Request) -> Store:
    return request.app.state.stores.reader()


StoreDep = Annotated[Store, Depends(get_store)]


def json_response(data, status_code: int = 200, headers: dict | None = None) -> Response:
    """JSON without FastAPI's per-field encoder (the records are plain dicts already)."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return Response(body, status_code=status_code, media_type="application/json", headers=headers)


def event_filter(
    since: Annotated[str | None, Query(description="Event date from: YYYY, YYYY-MM or YYYY-MM-DD (inclusive)")] = None,
    until: Annotated[str | None, Query(description="Event date to, inclusive (same forms)")] = None,
    actor: Annotated[str | None, Query(description="Actor code prefix or country on either side, comma list (RUS, USAGOV)")] = None,
    source: Annotated[str | None, Query(description="Source actor code prefix or country")] = None,
    target: Annotated[str | None, Query(description="Target actor code prefix or country")] = None,
    pair: Annotated[str | None, Query(description="Two actors, either direction: RUS,USA")] = None,
    country: Annotated[str | None, Query(description="ISO3 country of an actor or of the event's place")] = None,
    cameo: Annotated[str | None, Query(description="CAMEO code prefixes, comma list (18,19,20 or 1124)")] = None,
    plover: Annotated[str | None, Query(description="PLOVER event types, comma list (ASSAULT,ACCUSE)")] = None,
    quad: Annotated[str | None, Query(description="QuadClass 1-4, comma list")] = None,
    modality: Annotated[str | None, Query(description="asserted, reported, intended, hypothetical, negated")] = None,
    place: Annotated[str | None, Query(description="Place name or GeoNames id")] = None,
    q: Annotated[str | None, Query(description="Words that must all appear in the evidence sentence")] = None,
    outlet: Annotated[str | None, Query(description="Outlet names, comma list")] = None,
    article: Annotated[str | None, Query(description="Article id")] = None,
    located: Annotated[bool, Query(description="Only events with coordinates")] = False,
) -> EventFilter:
    try:
        return EventFilter.from_params(dict(
            since=since, until=until, actor=actor, source=source, target=target, pair=pair, country=country, cameo=cameo,
            plover=plover, quad=quad, modality=modality, place=place, q=q, outlet=outlet, article=article,
            located="1" if located else None))
    except FilterError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None


FilterDep = Annotated[EventFilter, Depends(event_filter)]
Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip")]
Sort = Annotated[str, Query(description=f"One of: {', '.join(SORTS)}", pattern="^(" + "|".join(SORTS) + ")$")]


def require_token(request: Request) -> None:
    """Write endpoints: 'Authorization: Bearer <token>' must match the token the server started with."""
    expected = request.app.state.token
    got = request.headers.get("authorization", "")
    scheme, _, value = got.partition(" ")
    if not expected or scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), expected.encode()):
        raise HTTPException(status_code=401, detail="a valid bearer token is required",
                            headers={"WWW-Authenticate": "Bearer"})
