"""Events: write an article's events atomically, read them back as nested records."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from eventwatch.model import Actor, Event, Place
from eventwatch.store.db import now

_ACTOR_FIELDS = ("text", "start", "end", "code", "country", "sector", "name", "confidence", "reason")
_COLS = (
    "id, article_id, parent, sentence_index, sentence_start, sentence_end, sentence_text, trigger_text, "
    "trigger_start, trigger_end, "
    + ", ".join(f"source_{f}" for f in _ACTOR_FIELDS) + ", "
    + ", ".join(f"target_{f}" for f in _ACTOR_FIELDS) + ", "
    "cameo, cameo_root, quad_class, goldstein, plover_event, plover_mode, plover_context, modality, "
    "attributed_text, attributed_start, attributed_end, attributed_code, attributed_country, attributed_sector, "
    "date, date_precision, date_source, date_expression, place_text, place_start, place_end, place_name, "
    "geonameid, place_country, place_admin1, latitude, longitude, place_feature, place_precision, "
    "place_confidence, confidence, rule, coder_version, event_key"
)
_NCOLS = len(_COLS.split(","))


def _actor_values(a: Actor | None) -> list:
    if a is None:
        return [None] * len(_ACTOR_FIELDS)
    return [getattr(a, f) for f in _ACTOR_FIELDS]


FACTUAL = ("asserted", "reported")
WINDOWS = ("day", "week", "month", "none")
CODE_LEVELS = ("full", "root")


def event_key(e: Event, window: str = "day", code_level: str = "full") -> str | None:
    """The dedup key of a factual event mention: (period, source, target, CAMEO code).

    ``window`` day/week/month groups mentions of the same dyad and code within that
    period (``none``: each mention is its own event); undated events group within their
    article only. Intended, hypothetical and negated mentions have no key.
    """
    if e.modality not in FACTUAL or window == "none":
        return None
    d = e.date.date if e.date and e.date.date else None
    if d is None:
        period = f"article:{e.article_id}"
    elif window == "week":
        from datetime import date as _date, timedelta

        day = _date.fromisoformat(d[:10])
        period = (day - timedelta(days=day.weekday())).isoformat()
    elif window == "month":
        period = d[:7]
    else:
        period = d[:10]
    code = e.cameo if code_level == "full" else e.root
    return "|".join([period, (e.source.code if e.source else "") or "", (e.target.code if e.target else "") or "", code])


def _row(e: Event, version: str, key: str | None = None) -> tuple:
    att = e.attributed_to
    pl = e.place
    d = e.date
    return (
        e.id, e.article_id, e.parent, e.sentence_index, e.sentence_start, e.sentence_end, e.sentence_text,
        e.trigger_text, e.trigger_start, e.trigger_end,
        *_actor_values(e.source), *_actor_values(e.target),
        e.cameo, e.root, e.quad_class, e.goldstein, e.plover_event, e.plover_mode, e.plover_context, e.modality,
        att.text if att else None, att.start if att else None, att.end if att else None,
        att.code if att else None, att.country if att else None, att.sector if att else None,
        d.date if d else None, d.precision if d else None, d.source if d else None, d.expression if d else None,
        pl.text if pl else None, pl.start if pl else None, pl.end if pl else None, pl.name if pl else None,
        pl.geonameid if pl else None, pl.country if pl else None, pl.admin1 if pl else None,
        pl.lat if pl else None, pl.lon if pl else None, pl.feature if pl else None,
        pl.precision if pl else None, pl.confidence if pl else None,
        e.confidence, e.rule, version, key,
    )


def _actor(row: sqlite3.Row, prefix: str, full: bool = True) -> dict | None:
    if row[f"{prefix}_text"] is None and row[f"{prefix}_code"] is None:
        return None
    keys = ("text", "code", "country", "sector") + (("name", "start", "end", "confidence", "reason") if full else ("start", "end"))
    return {k: row[f"{prefix}_{k}"] for k in keys}


def event_record(e: Event, version: str = "") -> dict:
    """The public record of an Event before it is stored (same shape as a stored one)."""
    names = [c.strip() for c in _COLS.split(",")]
    return row_to_record(dict(zip(names, _row(e, version))))


def row_to_record(row: sqlite3.Row) -> dict:
    """The public event record (documented in docs/events.md)."""
    place = None
    if row["place_text"] is not None or row["geonameid"] is not None:
        place = {
            "text": row["place_text"], "start": row["place_start"], "end": row["place_end"],
            "name": row["place_name"], "geonameid": row["geonameid"], "country": row["place_country"],
            "admin1": row["place_admin1"], "lat": row["latitude"], "lon": row["longitude"],
            "feature": row["place_feature"], "precision": row["place_precision"],
            "confidence": row["place_confidence"],
        }
    rec = {
        "id": row["id"],
        "article_id": row["article_id"],
        "sentence": {"index": row["sentence_index"], "text": row["sentence_text"],
                     "start": row["sentence_start"], "end": row["sentence_end"]},
        "trigger": {"text": row["trigger_text"], "start": row["trigger_start"], "end": row["trigger_end"]},
        "source": _actor(row, "source"),
        "target": _actor(row, "target"),
        "cameo": {"code": row["cameo"], "root": row["cameo_root"], "quad_class": row["quad_class"],
                  "goldstein": row["goldstein"]},
        "plover": {"event": row["plover_event"], "mode": row["plover_mode"], "context": row["plover_context"]},
        "modality": row["modality"],
        "attributed_to": _actor(row, "attributed", full=False),
        "parent": row["parent"],
        "date": row["date"],
        "date_precision": row["date_precision"],
        "date_source": row["date_source"],
        "date_expression": row["date_expression"],
        "place": place,
        "confidence": row["confidence"],
        "rule": row["rule"],
        "coder_version": row["coder_version"],
        "event_key": row["event_key"],
    }
    for extra in ("published", "url", "outlet", "title"):
        if extra in row.keys():
            rec[extra] = row[extra]
    return rec


class EventsMixin:
    conn: sqlite3.Connection

    def replace_events(self, article_id: str, events: list[Event], version: str,
                       status: str = "ok", reason: str | None = None) -> None:
        """Replace an article's events and coding record (call inside a transaction)."""
        old_keys = {r[0] for r in self.conn.execute(
            "SELECT DISTINCT event_key FROM events WHERE article_id = ? AND event_key IS NOT NULL", (article_id,))}
        self.conn.execute("DELETE FROM events WHERE article_id = ? AND parent IS NOT NULL", (article_id,))
        self.conn.execute("DELETE FROM events WHERE article_id = ?", (article_id,))
        window, level = self.dedup_settings()
        marks = ",".join("?" * _NCOLS)
        seen = set()
        rows = []
        new_keys = set()
        for e in events:
            if e.id in seen:
                continue
            seen.add(e.id)
            key = event_key(e, window, level)
            if key:
                new_keys.add(key)
            rows.append(_row(e, version, key))
        self.conn.executemany(f"INSERT INTO events ({_COLS}) VALUES ({marks})", rows)
        self.refresh_groups(old_keys | new_keys)
        self.conn.execute(
            "INSERT INTO coded_articles (article_id, status, reason, events, coder_version, coded_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET status = excluded.status, "
            "reason = excluded.reason, events = excluded.events, coder_version = excluded.coder_version, "
            "coded_at = excluded.coded_at",
            (article_id, status, reason, len(rows), version, now()),
        )

    # --- events, once -----------------------------------------------------------------
    def dedup_settings(self) -> tuple[str, str]:
        rows = dict(self.conn.execute("SELECT name, value FROM settings").fetchall())
        return rows.get("dedup_window", "day"), rows.get("dedup_code", "full")

    def refresh_groups(self, keys) -> None:
        """Recompute the event groups of these dedup keys from their mentions."""
        keys = [k for k in keys if k]
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            self.conn.execute(f"DELETE FROM event_groups WHERE key IN ({marks})", chunk)
            self.conn.execute(
                f"""INSERT INTO event_groups (key, date, source_code, target_code, cameo, representative,
                        num_mentions, num_sources, num_articles, first_seen, last_seen)
                    SELECT e.event_key, MIN(e.date), MIN(e.source_code), MIN(e.target_code), MIN(e.cameo),
                        (SELECT x.id FROM events x JOIN articles xa ON xa.id = x.article_id
                          WHERE x.event_key = e.event_key ORDER BY x.confidence DESC, xa.published, x.id LIMIT 1),
                        COUNT(*), COUNT(DISTINCT COALESCE(a.outlet, a.id)), COUNT(DISTINCT e.article_id),
                        MIN(substr(a.published, 1, 10)), MAX(substr(a.published, 1, 10))
                    FROM events e JOIN articles a ON a.id = e.article_id
                    WHERE e.event_key IN ({marks}) GROUP BY e.event_key""",
                chunk,
            )

    def set_dedup(self, window: str, code_level: str) -> int:
        """Change the dedup key and recompute every event's key and all groups."""
        from eventwatch.model import EventDate

        if window not in WINDOWS or code_level not in CODE_LEVELS:
            raise ValueError(f"window must be one of {WINDOWS}, code one of {CODE_LEVELS}")
        self.conn.execute("INSERT OR REPLACE INTO settings VALUES ('dedup_window', ?), ('dedup_code', ?)",
                          (window, code_level))
        rows = self.conn.execute(
            "SELECT id, article_id, modality, date, source_code, target_code, cameo, cameo_root FROM events").fetchall()
        updates = []
        for r in rows:
            e = Event(id=r["id"], article_id=r["article_id"], sentence_index=0, sentence_text="", sentence_start=0,
                      sentence_end=0, trigger_text="", trigger_start=0, trigger_end=0, cameo=r["cameo"],
                      root=r["cameo_root"], modality=r["modality"], date=EventDate(r["date"]),
                      source=Actor("", 0, 0, code=r["source_code"]) if r["source_code"] else None,
                      target=Actor("", 0, 0, code=r["target_code"]) if r["target_code"] else None)
            updates.append((event_key(e, window, code_level), r["id"]))
        self.conn.executemany("UPDATE events SET event_key = ? WHERE id = ?", updates)
        self.conn.execute("DELETE FROM event_groups")
        self.refresh_groups({k for k, _ in updates if k})
        return self.conn.execute("SELECT COUNT(*) FROM event_groups").fetchone()[0]

    def articles_to_code(self, recode: bool = False, article_ids: list[str] | None = None) -> Iterator:
        """Stored articles not yet coded (all with ``recode``), oldest first."""
        from eventwatch.store.articles import _ARTICLE_COLS, row_to_article

        where, params = [], []
        if not recode:
            where.append("id NOT IN (SELECT article_id FROM coded_articles)")
        if article_ids:
            where.append(f"id IN ({','.join('?' * len(article_ids))})")
            params.extend(article_ids)
        sql = f"SELECT {_ARTICLE_COLS} FROM articles" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY rowid"
        for row in self.conn.execute(sql, params).fetchall():
            yield row_to_article(row)

    def count_to_code(self, recode: bool = False) -> int:
        if recode:
            return self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        return self.conn.execute(
            "SELECT COUNT(*) FROM articles WHERE id NOT IN (SELECT article_id FROM coded_articles)"
        ).fetchone()[0]

    def iter_event_rows(self, where: str = "", params=(), order: str = "e.date, e.article_id, e.sentence_index, e.trigger_start",
                        limit: int | None = None) -> Iterator[sqlite3.Row]:
        sql = (
            f"SELECT e.*, a.published, a.url, a.outlet, a.title FROM events e JOIN articles a ON a.id = e.article_id "
            f"{('WHERE ' + where) if where else ''} ORDER BY {order}" + (f" LIMIT {int(limit)}" if limit else "")
        )
        yield from self.conn.execute(sql, params)

    def iter_events(self, where: str = "", params=(), limit: int | None = None) -> Iterator[dict]:
        for row in self.iter_event_rows(where, params, limit=limit):
            yield row_to_record(row)

    def get_event(self, event_id: str) -> dict | None:
        rows = list(self.iter_event_rows("e.id = ?", (event_id,)))
        return row_to_record(rows[0]) if rows else None

    def event_stats(self) -> dict:
        q = self.conn.execute
        return {
            "events": q("SELECT COUNT(*) FROM events").fetchone()[0],
            "distinct_events": q("SELECT COUNT(*) FROM event_groups").fetchone()[0],
            "coded_articles": q("SELECT COUNT(*) FROM coded_articles WHERE status = 'ok'").fetchone()[0],
            "failed_articles": q("SELECT COUNT(*) FROM coded_articles WHERE status = 'failed'").fetchone()[0],
            "events_by_plover": {
                (r[0] or "none"): r[1]
                for r in q("SELECT plover_event, COUNT(*) FROM events GROUP BY 1 ORDER BY 2 DESC")
            },
            "events_by_quad_class": {str(r[0]): r[1] for r in q("SELECT quad_class, COUNT(*) FROM events GROUP BY 1")},
            "events_by_modality": {r[0]: r[1] for r in q("SELECT modality, COUNT(*) FROM events GROUP BY 1 ORDER BY 2 DESC")},
        }


def place_from_row(row: sqlite3.Row) -> Place | None:
    if row["geonameid"] is None and row["place_text"] is None:
        return None
    return Place(text=row["place_text"], start=row["place_start"], end=row["place_end"], name=row["place_name"],
                 geonameid=row["geonameid"], country=row["place_country"], admin1=row["place_admin1"],
                 lat=row["latitude"], lon=row["longitude"], feature=row["place_feature"],
                 precision=row["place_precision"], confidence=row["place_confidence"] or 0.0)
