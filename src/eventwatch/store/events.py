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
    "place_confidence, confidence, rule, coder_version"
)
_NCOLS = len(_COLS.split(","))


def _actor_values(a: Actor | None) -> list:
    if a is None:
        return [None] * len(_ACTOR_FIELDS)
    return [getattr(a, f) for f in _ACTOR_FIELDS]


def _row(e: Event, version: str) -> tuple:
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
        e.confidence, e.rule, version,
    )


def _actor(row: sqlite3.Row, prefix: str, full: bool = True) -> dict | None:
    if row[f"{prefix}_text"] is None and row[f"{prefix}_code"] is None:
        return None
    keys = ("text", "code", "country", "sector") + (("name", "start", "end", "confidence", "reason") if full else ("start", "end"))
    return {k: row[f"{prefix}_{k}"] for k in keys}


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
        self.conn.execute("DELETE FROM events WHERE article_id = ? AND parent IS NOT NULL", (article_id,))
        self.conn.execute("DELETE FROM events WHERE article_id = ?", (article_id,))
        marks = ",".join("?" * _NCOLS)
        seen = set()
        rows = []
        for e in events:
            if e.id in seen:
                continue
            seen.add(e.id)
            rows.append(_row(e, version))
        self.conn.executemany(f"INSERT INTO events ({_COLS}) VALUES ({marks})", rows)
        self.conn.execute(
            "INSERT INTO coded_articles (article_id, status, reason, events, coder_version, coded_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET status = excluded.status, "
            "reason = excluded.reason, events = excluded.events, coder_version = excluded.coder_version, "
            "coded_at = excluded.coded_at",
            (article_id, status, reason, len(rows), version, now()),
        )

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
