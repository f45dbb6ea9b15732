"""The shared event filter and the read queries behind exports, the API and the web UI.

One ``EventFilter`` is built from CLI options, API query parameters or UI form fields (the
same names everywhere, see docs/api.md) and turned into a SQL ``WHERE`` clause over ``events e``
joined with ``articles a``. Aggregates (dyads, timelines, places, networks) live here too, so
everything that speaks SQL stays in ``eventwatch.store``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from functools import lru_cache

from eventwatch.store.events import row_to_record

MODALITIES = ("asserted", "reported", "intended", "hypothetical", "negated")
PERIODS = ("day", "week", "month", "year")
LEVELS = ("code", "country")
UNITS = ("events", "mentions")
SORTS = {
    "date": "e.date IS NULL, e.date, e.article_id, e.sentence_index, e.trigger_start, e.cameo, e.modality, e.id",
    # NULL sorts last in DESC; every key descending so the events_newest index serves it.
    "-date": "e.date DESC, e.article_id DESC, e.sentence_index DESC, e.trigger_start DESC",
    "confidence": "e.confidence DESC, e.date DESC, e.id",
    "goldstein": "e.goldstein, e.date DESC, e.id",
    "-goldstein": "e.goldstein DESC, e.date DESC, e.id",
    "stored": "e.rowid",  # storage (coding) order: the cheapest for bulk exports
}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_CODE = re.compile(r"^[A-Z]{2,15}$")
_CAMEO = re.compile(r"^\d{2,4}$")
FILTER_KEYS = ("since", "until", "actor", "source", "target", "pair", "country", "cameo", "plover", "quad",
               "modality", "place", "q", "outlet", "article", "located")


class FilterError(ValueError):
    """A filter value that cannot be used (the message names the parameter)."""


def _split(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        parts = [p for v in value for p in str(v).split(",")]
    else:
        parts = str(value).split(",")
    return tuple(p.strip() for p in parts if p.strip())


@dataclass(frozen=True)
class EventFilter:
    """Which event mentions to use. Empty fields do not filter; lists match any member."""

    since: str | None = None  # event date from (YYYY, YYYY-MM or YYYY-MM-DD, inclusive)
    until: str | None = None  # event date to (inclusive, same forms)
    actor: tuple[str, ...] = ()  # actor code prefix or country, either side (RUS, RUSMIL, IGOUNO)
    source: tuple[str, ...] = ()  # the same, source side only
    target: tuple[str, ...] = ()  # the same, target side only
    pair: tuple[str, ...] = ()  # two actors (code prefix or country), either direction: RUS,USA
    country: tuple[str, ...] = ()  # ISO3: an actor's country or the event place's country
    cameo: tuple[str, ...] = ()  # CAMEO code prefixes: 18, 19, 112, 1124
    plover: tuple[str, ...] = ()  # PLOVER types (ASSAULT, ACCUSE, …)
    quad: tuple[int, ...] = ()  # QuadClass 1–4
    modality: tuple[str, ...] = ()  # asserted, reported, intended, hypothetical, negated
    place: str | None = None  # place name (case-insensitive) or GeoNames id
    q: str | None = None  # words that must all appear in the evidence sentence
    outlet: tuple[str, ...] = ()  # outlet names (case-insensitive)
    article: str | None = None  # article id
    located: bool = False  # only events with coordinates

    @classmethod
    def from_params(cls, params: Mapping) -> EventFilter:
        """Build and validate a filter from strings (query parameters, form fields, CLI options)."""
        get = params.get

        def date(name):
            v = (get(name) or "").strip() or None
            if v and not _DATE.match(v):
                raise FilterError(f"{name}: expected YYYY, YYYY-MM or YYYY-MM-DD, got {v!r}")
            return v

        def codes(name):
            out = tuple(c.upper() for c in _split(get(name)))
            for c in out:
                if not _CODE.match(c):
                    raise FilterError(f"{name}: {c!r} is not an actor or country code (letters only, e.g. RUS, USAGOV)")
            return out

        pair = codes("pair")
        if pair and len(pair) != 2:
            raise FilterError("pair: expected two actors separated by a comma, e.g. RUS,USA")
        cameo = _split(get("cameo"))
        for c in cameo:
            if not _CAMEO.match(c):
                raise FilterError(f"cameo: {c!r} is not a CAMEO code or prefix (2–4 digits, e.g. 18 or 1124)")
        plover = tuple(p.upper() for p in _split(get("plover")))
        from eventwatch.events.codes import PLOVER_EVENTS

        for p in plover:
            if p not in PLOVER_EVENTS:
                raise FilterError(f"plover: {p!r} is not a PLOVER type ({', '.join(PLOVER_EVENTS)})")
        quad = []
        for v in _split(get("quad")):
            if v not in ("1", "2", "3", "4"):
                raise FilterError(f"quad: {v!r} is not a QuadClass (1–4)")
            quad.append(int(v))
        modality = tuple(m.lower() for m in _split(get("modality")))
        for m in modality:
            if m not in MODALITIES:
                raise FilterError(f"modality: {m!r} is not one of {', '.join(MODALITIES)}")
        located = str(get("located") or "").lower() in ("1", "true", "yes", "on")
        text = lambda n: (str(get(n)).strip() or None) if get(n) is not None else None  # noqa: E731
        return cls(since=date("since"), until=date("until"), actor=codes("actor"), source=codes("source"),
                   target=codes("target"), pair=pair, country=codes("country"), cameo=cameo, plover=plover, quad=tuple(quad),
                   modality=modality, place=text("place"), q=text("q"), outlet=_split(get("outlet")),
                   article=text("article"), located=located)

    def params(self) -> dict[str, str]:
        """The non-empty fields as query-string values (the inverse of ``from_params``)."""
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, tuple):
                if v:
                    out[f.name] = ",".join(str(x) for x in v)
            elif isinstance(v, bool):
                if v:
                    out[f.name] = "1"
            elif v:
                out[f.name] = str(v)
        return out

    def is_empty(self) -> bool:
        return not self.params()

    def _has_other_filters(self) -> bool:
        return any(v for k, v in self.params().items() if k not in ("since", "until"))

    def where(self) -> tuple[str, list]:
        """``(sql, params)`` over ``events e JOIN articles a``; ``("1", [])`` when nothing filters."""
        w: list[str] = []
        p: list = []
        if self.since:
            # An open range ("since 2019") often covers most rows: walking the date index then costs
            # more than a scan, so let other filters choose (unary + hides the index).
            w.append("+e.date >= ?" if (not self.until and self._has_other_filters()) else "e.date >= ?")
            p.append(self.since)
        if self.until:
            w.append("e.date <= ?")
            p.append(self.until + "~")  # '2016-09~' sorts after every day of September 2016
        for name, sides in (("actor", ("source", "target")), ("source", ("source",)), ("target", ("target",))):
            values = getattr(self, name)
            if values:
                ors = []
                for v in values:
                    for side in sides:
                        sql, args = _side(side, v)
                        ors.append(sql)
                        p.extend(args)
                w.append("(" + " OR ".join(ors) + ")")
        if self.pair:
            (sa, pa), (tb, pb) = _side("source", self.pair[0]), _side("target", self.pair[1])
            (sb, pb2), (ta, pa2) = _side("source", self.pair[1]), _side("target", self.pair[0])
            w.append(f"(({sa} AND {tb}) OR ({sb} AND {ta}))")
            p.extend([*pa, *pb, *pb2, *pa2])
        if self.country:
            marks = ",".join("?" * len(self.country))
            w.append(f"(e.source_country IN ({marks}) OR e.target_country IN ({marks}) OR e.place_country IN ({marks}))")
            p.extend(list(self.country) * 3)
        if self.cameo:  # the root is indexed; longer prefixes as ranges within it
            ors = []
            for c in self.cameo:
                if len(c) == 2:
                    ors.append("e.cameo_root = ?")
                    p.append(c)
                else:
                    ors.append("(e.cameo_root = ? AND e.cameo >= ? AND e.cameo < ?)")
                    p.extend([c[:2], c, c + ":"])  # ':' sorts right after '9'
            w.append("(" + " OR ".join(ors) + ")")
        for col, values in (("e.plover_event", self.plover), ("e.quad_class", self.quad), ("e.modality", self.modality)):
            if values:
                w.append(f"{col} IN ({','.join('?' * len(values))})")
                p.extend(values)
        if self.place:
            if self.place.isdigit():
                w.append("e.geonameid = ?")
                p.append(int(self.place))
            else:
                w.append("(lower(e.place_name) = lower(?) OR lower(e.place_text) = lower(?))")
                p.extend([self.place, self.place])
        if self.q:
            for term in re.findall(r"\w[\w'-]*", self.q)[:8]:
                w.append("lower(e.sentence_text) LIKE ? ESCAPE '\\'")
                p.append("%" + _escape_like(term.lower()) + "%")
        if self.outlet:
            w.append(f"lower(a.outlet) IN ({','.join('?' * len(self.outlet))})")
            p.extend(o.lower() for o in self.outlet)
        if self.article:
            w.append("e.article_id = ?")
            p.append(self.article)
        if self.located:
            w.append("e.latitude IS NOT NULL AND e.longitude IS NOT NULL")
        return (" AND ".join(w) if w else "1"), p


@lru_cache(maxsize=4096)
def _is_iso3(code: str) -> bool:
    import pycountry

    return pycountry.countries.get(alpha_3=code) is not None


def _side(side: str, code: str) -> tuple[str, list]:
    """SQL matching one actor side: the code and every code under it (RUS: RUS, RUSGOV, RUSMIL…),
    or an actor of that country. Country codes compare the indexed country column; longer codes
    are a range on the code (cheaper than LIKE), with the country when the code starts with one."""
    if len(code) == 3 and _is_iso3(code):
        return f"e.{side}_country = ?", [code]
    if len(code) == 3:  # IGO, NGO, UNO, EUR …: a code prefix or an organisation's "country"
        return f"(e.{side}_country = ? OR (e.{side}_code >= ? AND e.{side}_code < ?))", [code, code, code + "~"]
    if _is_iso3(code[:3]):
        return f"(e.{side}_country = ? AND e.{side}_code >= ? AND e.{side}_code < ?)", [code[:3], code, code + "~"]
    return f"(e.{side}_code >= ? AND e.{side}_code < ?)", [code, code + "~"]


def _from(f: EventFilter) -> str:
    """``events e``, joined with ``articles a`` only when the filter needs the article (outlet)."""
    return _FROM if f.outlet else "FROM events e"


def _escape_like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")



_FROM = "FROM events e JOIN articles a ON a.id = e.article_id"


def _conn(store) -> sqlite3.Connection:
    return store.conn if hasattr(store, "conn") else store


def _dicts(store, sql: str, params=(), batch: int = 2000) -> Iterator[dict]:
    """Rows as plain dicts (several times cheaper to read by name than ``sqlite3.Row``)."""
    cur = _conn(store).cursor()
    cur.row_factory = None
    cur.execute(sql, params)
    names = [d[0] for d in cur.description]
    while rows := cur.fetchmany(batch):
        for r in rows:
            yield dict(zip(names, r))


# --- event lists ----------------------------------------------------------------------
def count_events(store, f: EventFilter) -> int:
    where, params = f.where()
    return _conn(store).execute(f"SELECT COUNT(*) {_from(f)} WHERE {where}", params).fetchone()[0]


def iter_event_rows(store, f: EventFilter, sort: str = "date", limit: int | None = None,
                    offset: int = 0, batch: int = 2000) -> Iterator[dict]:
    """Flat rows (dicts): every ``events`` column plus ``published``, ``url``, ``outlet``, ``title``."""
    if sort not in SORTS:
        raise FilterError(f"sort: expected one of {', '.join(SORTS)}")
    where, params = f.where()
    cols = f"SELECT e.*, a.published, a.url, a.outlet, a.title {_FROM}"
    if limit is None:
        sql = f"{cols} WHERE {where} ORDER BY {SORTS[sort]}"
    else:
        # A page: sort and cut narrow rows first, then fetch the wide ones.
        sql = (f"{cols} WHERE e.rowid IN (SELECT e.rowid {_from(f)} WHERE {where} ORDER BY {SORTS[sort]} "
               f"LIMIT ? OFFSET ?) ORDER BY {SORTS[sort]}")
        params = [*params, int(limit), int(offset)]
    yield from _dicts(store, sql, params, batch)


def page_events(store, f: EventFilter, limit: int = 50, offset: int = 0, sort: str = "-date", count=None) -> dict:
    """A page of event records and the total; ``count(store, f)`` may stand in for ``count_events``
    (the API passes a cached one)."""
    items = [row_to_record(r) for r in iter_event_rows(store, f, sort, limit, offset)]
    total = (count or count_events)(store, f)
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def get_event(store, event_id: str) -> dict | None:
    """An event record with its group (the deduplicated event) and the group's other mentions."""
    rows = list(_dicts(store, f"SELECT e.*, a.published, a.url, a.outlet, a.title {_FROM} WHERE e.id = ?", (event_id,)))
    if not rows:
        return None
    rec = row_to_record(rows[0])
    rec["group"] = None
    if rec.get("event_key"):
        g = _conn(store).execute("SELECT * FROM event_groups WHERE key = ?", (rec["event_key"],)).fetchone()
        if g:
            mentions = _conn(store).execute(
                "SELECT e.id, e.article_id, e.sentence_text, e.modality, a.outlet, a.published, a.title "
                f"{_FROM} WHERE e.event_key = ? ORDER BY a.published, e.id LIMIT 100", (rec["event_key"],)).fetchall()
            rec["group"] = {**dict(g), "mentions": [dict(m) for m in mentions]}
    rec["children"] = [r[0] for r in _conn(store).execute("SELECT id FROM events WHERE parent = ?", (event_id,))]
    return rec


# --- aggregates -----------------------------------------------------------------------
def period_sql(period: str, col: str = "e.date") -> str:
    if period == "day":
        return f"substr({col}, 1, 10)"
    if period == "week":  # the Monday of the ISO week
        return f"date({col}, 'weekday 0', '-6 days')"
    if period == "month":
        return f"substr({col}, 1, 7) || '-01'"
    if period == "year":
        return f"substr({col}, 1, 4) || '-01-01'"
    raise FilterError(f"period: expected one of {', '.join(PERIODS)}")


def actor_sql(side: str, level: str) -> str:
    if level == "code":
        return f"e.{side}_code"
    if level == "country":
        return f"COALESCE(e.{side}_country, e.{side}_code)"
    raise FilterError(f"level: expected one of {', '.join(LEVELS)}")


def _units(f: EventFilter, unit: str, level: str) -> tuple[str, list]:
    """A subquery with one row per counted unit: ``date, src, tgt, quad, goldstein``.

    ``events``: one row per event group (factual mentions deduplicated by their key; the
    values of its most confident mention); ``mentions``: every coded mention.
    """
    where, params = f.where()
    src, tgt = actor_sql("source", level), actor_sql("target", level)
    if unit == "mentions":
        sql = (f"SELECT e.date AS date, {src} AS src, {tgt} AS tgt, e.quad_class AS quad, e.goldstein AS goldstein "
               f"{_from(f)} WHERE {where}")
    elif unit == "events":
        # SQLite: bare columns in an aggregate query with MAX() come from the row holding the max.
        sql = (f"SELECT MAX(e.confidence) AS _c, e.date AS date, {src} AS src, {tgt} AS tgt, e.quad_class AS quad, "
               f"e.goldstein AS goldstein {_from(f)} WHERE {where} AND e.event_key IS NOT NULL GROUP BY e.event_key")
    else:
        raise FilterError(f"unit: expected one of {', '.join(UNITS)}")
    return sql, params


def _quad_cols() -> str:
    return ", ".join(f"SUM(quad = {q}) AS q{q}" for q in (1, 2, 3, 4))


def dyads(store, f: EventFilter, period: str = "month", directed: bool = True, level: str = "code",
          unit: str = "events", include_missing: bool = False) -> list[dict]:
    """Counts and Goldstein sums per actor pair per period, split by QuadClass.

    Undirected pairs are ordered alphabetically (``actor_a`` ≤ ``actor_b``). Undated units and,
    unless ``include_missing``, units without a target are left out.
    """
    sub, params = _units(f, unit, level)
    per = period_sql(period, "date")
    if directed:
        a, b = "src", "tgt"
    else:
        a, b = "MIN(src, tgt)", "MAX(src, tgt)"
        if include_missing:
            a, b = "CASE WHEN tgt IS NULL THEN src ELSE MIN(src, tgt) END", "CASE WHEN tgt IS NULL THEN NULL ELSE MAX(src, tgt) END"
    cond = "date IS NOT NULL AND src IS NOT NULL" + ("" if include_missing else " AND tgt IS NOT NULL")
    sql = (f"SELECT {per} AS period, {a} AS actor_a, {b} AS actor_b, COUNT(*) AS count, "
           f"ROUND(SUM(goldstein), 3) AS goldstein, {_quad_cols()} FROM ({sub}) WHERE {cond} "
           f"GROUP BY 1, 2, 3 ORDER BY 1, 4 DESC, 2, 3")
    return [dict(r) for r in _conn(store).execute(sql, params)]


def timeline(store, f: EventFilter, period: str = "month", unit: str = "events") -> list[dict]:
    """Counts per period split by QuadClass (undated units left out)."""
    sub, params = _units(f, unit, "code")
    per = period_sql(period, "date")
    sql = (f"SELECT {per} AS period, COUNT(*) AS count, ROUND(SUM(goldstein), 3) AS goldstein, {_quad_cols()} "
           f"FROM ({sub}) WHERE date IS NOT NULL GROUP BY 1 ORDER BY 1")
    return [dict(r) for r in _conn(store).execute(sql, params)]


def top_pairs(store, f: EventFilter, limit: int = 15, level: str = "code", unit: str = "events",
              directed: bool = False) -> list[dict]:
    """The most frequent actor pairs with their cooperation/conflict balance (−1 … +1)."""
    sub, params = _units(f, unit, level)
    a, b = ("src", "tgt") if directed else ("MIN(src, tgt)", "MAX(src, tgt)")
    sql = (f"SELECT {a} AS actor_a, {b} AS actor_b, COUNT(*) AS count, ROUND(SUM(goldstein), 3) AS goldstein, "
           f"{_quad_cols()} FROM ({sub}) WHERE src IS NOT NULL AND tgt IS NOT NULL "
           f"GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?")
    out = []
    for r in _conn(store).execute(sql, [*params, int(limit)]):
        d = dict(r)
        coop, conf = d["q1"] + d["q2"], d["q3"] + d["q4"]
        d["balance"] = round((coop - conf) / d["count"], 3) if d["count"] else 0.0
        out.append(d)
    return out


def network(store, f: EventFilter, level: str = "country", unit: str = "events", max_edges: int = 60) -> dict:
    """Directed actor network: nodes with their event counts, edges with counts, Goldstein and conflict share."""
    sub, params = _units(f, unit, level)
    sql = (f"SELECT src AS source, tgt AS target, COUNT(*) AS count, ROUND(SUM(goldstein), 3) AS goldstein, "
           f"{_quad_cols()} FROM ({sub}) WHERE src IS NOT NULL AND tgt IS NOT NULL AND src != tgt "
           f"GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?")
    edges = []
    nodes: dict[str, dict] = {}
    for r in _conn(store).execute(sql, [*params, int(max_edges)]):
        d = dict(r)
        d["conflict_share"] = round((d["q3"] + d["q4"]) / d["count"], 3)
        d["mean_goldstein"] = round(d["goldstein"] / d["count"], 3)
        edges.append(d)
        for key, role in ((d["source"], "out"), (d["target"], "in")):
            n = nodes.setdefault(key, {"id": key, "out": 0, "in": 0})
            n[role] += d["count"]
    return {"nodes": sorted(nodes.values(), key=lambda n: (-(n["in"] + n["out"]), n["id"])), "edges": edges}


def places(store, f: EventFilter, limit: int = 2000) -> list[dict]:
    """Event locations with counts per QuadClass (mentions; undated ones included)."""
    where, params = f.where()
    sql = (f"SELECT e.geonameid AS geonameid, MIN(e.place_name) AS name, MIN(e.place_country) AS country, "
           f"MIN(e.place_precision) AS precision, MIN(e.place_feature) AS feature, ROUND(AVG(e.latitude), 5) AS lat, "
           f"ROUND(AVG(e.longitude), 5) AS lon, COUNT(*) AS count, ROUND(SUM(e.goldstein), 3) AS goldstein, "
           + ", ".join(f"SUM(e.quad_class = {q}) AS q{q}" for q in (1, 2, 3, 4))
           + f" {_from(f)} WHERE {where} AND e.latitude IS NOT NULL AND e.longitude IS NOT NULL "
           f"GROUP BY COALESCE(e.geonameid, e.latitude || ',' || e.longitude) ORDER BY count DESC, name LIMIT ?")
    return [dict(r) for r in _conn(store).execute(sql, [*params, int(limit)])]


def countries(store, f: EventFilter) -> dict[str, int]:
    """Event mentions per place country (ISO3)."""
    where, params = f.where()
    sql = f"SELECT e.place_country, COUNT(*) {_from(f)} WHERE {where} AND e.place_country IS NOT NULL GROUP BY 1"
    return {r[0]: r[1] for r in _conn(store).execute(sql, params)}


def facets(store) -> dict:
    """Values for filter menus: outlets, PLOVER types and modalities in use, the date range."""
    c = _conn(store)
    lo, hi = c.execute("SELECT MIN(date), MAX(date) FROM events").fetchone()
    return {
        "outlets": [r[0] for r in c.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY 1")],
        "plover": [r[0] for r in c.execute("SELECT DISTINCT plover_event FROM events WHERE plover_event IS NOT NULL ORDER BY 1")],
        "modalities": [r[0] for r in c.execute("SELECT DISTINCT modality FROM events ORDER BY 1")],
        "date_range": [lo, hi],
    }


def auto_period(store, f: EventFilter) -> str:
    where, params = f.where()
    lo, hi = _conn(store).execute(f"SELECT MIN(e.date), MAX(e.date) {_from(f)} WHERE {where}", params).fetchone()
    if not lo:
        return "month"
    from datetime import date

    days = (date.fromisoformat(hi[:10]) - date.fromisoformat(lo[:10])).days
    return "day" if days <= 60 else "week" if days <= 730 else "month"


# --- articles -------------------------------------------------------------------------
def list_articles(store, outlet: str | None = None, since: str | None = None, until: str | None = None,
                  limit: int = 50, offset: int = 0) -> dict:
    w, p = [], []
    if outlet:
        w.append("lower(outlet) = lower(?)")
        p.append(outlet)
    if since:
        w.append("published >= ?")
        p.append(since)
    if until:
        w.append("published <= ?")
        p.append(until + "~")
    where = " AND ".join(w) or "1"
    c = _conn(store)
    total = c.execute(f"SELECT COUNT(*) FROM articles WHERE {where}", p).fetchone()[0]
    rows = c.execute(
        f"SELECT a.id, a.title, a.outlet, a.published, a.url, a.lang, a.duplicate_of, "
        f"(SELECT COUNT(*) FROM events e WHERE e.article_id = a.id) AS events FROM articles a WHERE {where} "
        f"ORDER BY a.published IS NULL, a.published DESC, a.rowid LIMIT ? OFFSET ?", [*p, int(limit), int(offset)])
    return {"total": total, "limit": limit, "offset": offset, "items": [dict(r) for r in rows]}


def article_event_rows(store, article_id: str) -> list[dict]:
    rows = _dicts(store, f"SELECT e.*, a.published, a.url, a.outlet, a.title {_FROM} WHERE e.article_id = ? "
                  f"ORDER BY e.sentence_index, e.trigger_start", (article_id,))
    return [row_to_record(r) for r in rows]


def search(store, q: str, limit: int = 20, collapse: bool = False) -> list:
    """``Store.search``, and when FTS5 still rejects the query (e.g. an unterminated quote), its
    words searched as plain terms."""
    try:
        return store.search(q, limit=limit, collapse=collapse)
    except sqlite3.OperationalError:
        terms = [t for t in re.findall(r"\w+", q) if t not in ("AND", "OR", "NOT", "NEAR")]
        if not terms:
            return []
        return store.search(" ".join('"' + t + '"' for t in terms), limit=limit, collapse=collapse)
