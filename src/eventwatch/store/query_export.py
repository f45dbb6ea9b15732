"""Export-only queries over the shared filter: GDELT-style event groups and their mentions, and
flat column tuples for the tabular formats (the rest of the filter machinery is in ``query``)."""

from __future__ import annotations

from collections.abc import Iterator

from eventwatch.store.query import _FROM, SORTS, EventFilter, FilterError, _conn, _dicts, _from

# --- GDELT-style events and mentions ---------------------------------------------------
_GDELT_EXTRA = (
    "a.published, a.url, a.outlet, a.title, c.coded_at, length(a.body) AS doc_len, "
    "CASE WHEN instr(a.body, char(10)) = 0 OR e.sentence_start < instr(a.body, char(10)) THEN 1 ELSE 0 END AS in_lead"
)


def _group_keys(f: EventFilter) -> tuple[str, list]:
    """Event groups with at least one mention passing the filter."""
    if f.is_empty():
        return "1", []
    where, params = f.where()
    return f"g.key IN (SELECT e.event_key {_from(f)} WHERE {where} AND e.event_key IS NOT NULL)", params


def iter_group_rows(store, f: EventFilter, batch: int = 5000) -> Iterator[dict]:
    """One row per event group: the group's counts (``g_*``) and its representative mention's columns."""
    cond, params = _group_keys(f)
    sql = (f"SELECT e.*, g.key AS g_key, g.date AS g_date, g.num_mentions AS g_mentions, "
           f"g.num_sources AS g_sources, g.num_articles AS g_articles, g.first_seen AS g_first_seen, {_GDELT_EXTRA} "
           f"FROM event_groups g JOIN events e ON e.id = g.representative JOIN articles a ON a.id = e.article_id "
           f"LEFT JOIN coded_articles c ON c.article_id = e.article_id WHERE {cond} ORDER BY g.date, g.key")
    yield from _dicts(store, sql, params, batch)


def iter_mention_rows(store, f: EventFilter, batch: int = 5000) -> Iterator[dict]:
    """Every mention of the event groups ``iter_group_rows`` yields, with its group's date and coding time."""
    cond, params = _group_keys(f)
    sql = (f"SELECT e.*, g.key AS g_key, g.date AS g_date, g.first_seen AS g_first_seen, "
           f"rc.coded_at AS g_coded_at, {_GDELT_EXTRA} "
           f"FROM event_groups g JOIN events e ON e.event_key = g.key JOIN articles a ON a.id = e.article_id "
           f"LEFT JOIN coded_articles c ON c.article_id = e.article_id "
           f"LEFT JOIN events r ON r.id = g.representative LEFT JOIN coded_articles rc ON rc.article_id = r.article_id "
           f"WHERE {cond} ORDER BY g.date, g.key, a.published, e.id")
    yield from _dicts(store, sql, params, batch)


# --- flat rows for tabular exports -------------------------------------------------------
ARTICLE_FIELDS = ("published", "url", "outlet", "title")


def event_columns(store) -> list[str]:
    return [r[1] for r in _conn(store).execute("PRAGMA table_info(events)")]


def iter_flat(store, f: EventFilter, names: list[str], sort: str = "date", limit: int | None = None) -> Iterator[tuple]:
    """Plain tuples of the named columns (``events`` columns and article ``published/url/outlet/title``)."""
    for rows in iter_flat_batches(store, f, names, sort, limit):
        yield from rows


def iter_flat_batches(store, f: EventFilter, names: list[str], sort: str = "date", limit: int | None = None,
                      batch: int = 20000) -> Iterator[list[tuple]]:
    if sort not in SORTS:
        raise FilterError(f"sort: expected one of {', '.join(SORTS)}")
    known = set(event_columns(store))
    cols = []
    for n in names:
        if n in ARTICLE_FIELDS:
            cols.append(f"a.{n}")
        elif n in known:
            cols.append(f"e.{n}")
        else:
            cols.append(f"NULL AS {n}" if n.isidentifier() else "NULL")
    where, params = f.where()
    sql = f"SELECT {', '.join(cols)} {_FROM} WHERE {where} ORDER BY {SORTS[sort]}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    cur = _conn(store).cursor()
    cur.row_factory = None
    cur.execute(sql, params)
    while rows := cur.fetchmany(batch):
        yield rows
