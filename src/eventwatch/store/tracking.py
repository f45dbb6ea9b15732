"""Tracking tables: agreements (with parties, curated records, mentions, lifecycle states),
accusations and quotes. Rows derived from an article are replaced when it is tracked again."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from importlib import resources

from eventwatch.store.db import now

_STATE_ORDER = {s: i for i, s in enumerate(
    ("proposed", "negotiated", "signed", "declared", "in_force", "breach_alleged", "collapsed", "revival_talks",
     "renewed", "ended"))}


# What identifies one coding of an article: when, how many events, which coder (re-coding changes it).
CODING_KEY = "(c.coded_at || '|' || c.events || '|' || c.coder_version)"


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    cols = list(rows[0].keys())
    conn.executemany(f"INSERT OR REPLACE INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                     [tuple(r.get(c) for c in cols) for r in rows])


class TrackingMixin:
    conn: sqlite3.Connection

    def has_tracking(self) -> bool:
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'agreements'").fetchone() is not None

    def ensure_tracking(self) -> None:
        """Create the tracking tables when a database skipped migration 0004 (numbered after it)."""
        if self.has_tracking():
            return
        sql = resources.files("eventwatch.store").joinpath("migrations", "0004_tracking.sql").read_text("utf-8")
        self.conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nCOMMIT;")

    # --- what to track ------------------------------------------------------------------
    def articles_to_track(self, everything: bool = False, article_ids: list[str] | None = None) -> list:
        """``(article, coded_at)`` for coded articles never tracked or coded again since."""
        from eventwatch.store.articles import _ARTICLE_COLS, row_to_article

        cols = ", ".join(f"a.{c.strip()}" for c in _ARTICLE_COLS.split(","))
        where = ["c.status = 'ok'"]
        params: list = []
        if not everything:
            where.append(f"(t.article_id IS NULL OR t.coded_at IS NOT {CODING_KEY})")
        if article_ids:
            where.append(f"a.id IN ({','.join('?' * len(article_ids))})")
            params.extend(article_ids)
        sql = (f"SELECT {cols}, {CODING_KEY} AS _coded_at FROM articles a JOIN coded_articles c ON c.article_id = a.id "
               f"LEFT JOIN tracked_articles t ON t.article_id = a.id WHERE {' AND '.join(where)} "
               "ORDER BY substr(COALESCE(a.published, ''), 1, 10), a.id")
        return [(row_to_article(r), r["_coded_at"]) for r in self.conn.execute(sql, params).fetchall()]

    def clear_article_tracking(self, article_id: str) -> set[str]:
        """Delete what was derived from one article; returns the agreements it touched."""
        q = self.conn.execute
        touched = {r[0] for r in q("SELECT DISTINCT agreement_id FROM agreement_mentions WHERE article_id = ? "
                                   "AND agreement_id IS NOT NULL", (article_id,))}
        touched |= {r[0] for r in q("SELECT DISTINCT agreement_id FROM agreement_states WHERE article_id = ? "
                                    "AND agreement_id IS NOT NULL", (article_id,))}
        for table in ("agreement_states", "agreement_mentions", "accusations", "quotes"):
            q(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        return touched

    def coding_key(self, article_id: str) -> str | None:
        """What ``tracked_articles.coded_at`` records for the article's current coding."""
        row = self.conn.execute(f"SELECT {CODING_KEY} FROM coded_articles c WHERE c.article_id = ?",
                                (article_id,)).fetchone()
        return row[0] if row else None

    def mark_tracked(self, article_id: str, coded_at: str | None, version: str, counts: dict) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO tracked_articles (article_id, coded_at, tracker_version, tracked_at, mentions, "
            "quotes, accusations) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (article_id, coded_at, version, now(), counts.get("mentions", 0), counts.get("quotes", 0),
             counts.get("accusations", 0)))

    def reset_detected(self) -> None:
        """Forget every article-derived row and every detected agreement (imported records stay)."""
        for table in ("agreement_states", "agreement_mentions", "accusations", "quotes", "tracked_articles"):
            where = " WHERE article_id IS NOT NULL" if table == "agreement_states" else ""
            self.conn.execute(f"DELETE FROM {table}{where}")
        self.conn.execute("DELETE FROM agreement_parties WHERE origin = 'detected'")
        self.conn.execute("DELETE FROM agreements WHERE origin = 'detected'")

    # --- writing --------------------------------------------------------------------------
    def insert_tracking_rows(self, table: str, rows: list[dict]) -> None:
        if table not in ("quotes", "agreement_mentions", "agreement_states", "accusations"):
            raise ValueError(table)
        _insert(self.conn, table, rows)

    def upsert_agreement(self, rec: dict) -> None:
        rec = {**rec, "updated_at": now()}
        cols = list(rec)
        updates = ", ".join(f"{c} = COALESCE(excluded.{c}, {c})" for c in cols if c != "id")
        self.conn.execute(f"INSERT INTO agreements ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                          f"ON CONFLICT (id) DO UPDATE SET {updates}", [rec[c] for c in cols])

    def set_parties(self, agreement_id: str, origin: str, parties: list[dict]) -> None:
        self.conn.execute("DELETE FROM agreement_parties WHERE agreement_id = ? AND origin = ?", (agreement_id, origin))
        _insert(self.conn, "agreement_parties", [{**p, "agreement_id": agreement_id, "origin": origin} for p in parties])

    def add_record(self, dataset: str, record_id: str, agreement_id: str, title: str | None, data: dict) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO agreement_records (dataset, record_id, agreement_id, title, data, imported_at) "
            "VALUES (?, ?, ?, ?, ?, ?)", (dataset, str(record_id), agreement_id, title, json.dumps(data), now()))

    def record_agreement(self, dataset: str, record_id: str) -> str | None:
        row = self.conn.execute("SELECT agreement_id FROM agreement_records WHERE dataset = ? AND record_id = ?",
                                (dataset, str(record_id))).fetchone()
        return row[0] if row else None

    def replace_record_states(self, dataset: str, record_id: str, rows: list[dict]) -> None:
        self.conn.execute("DELETE FROM agreement_states WHERE origin = ? AND record_id = ?", (dataset, str(record_id)))
        _insert(self.conn, "agreement_states", rows)

    def link_accusations(self, article_id: str, pairs: list[tuple[str, str]]) -> None:
        self.conn.executemany("UPDATE accusations SET agreement_id = ? WHERE id = ? AND article_id = ?",
                              [(a, i, article_id) for i, a in pairs])

    def refresh_agreements(self, ids) -> None:
        """Recompute counts, dates, latest state, detected parties and place from the links;
        drop detected agreements nothing refers to any more."""
        q = self.conn.execute
        for aid in {i for i in ids if i}:
            row = q("SELECT origin FROM agreements WHERE id = ?", (aid,)).fetchone()
            if row is None:
                continue
            ments = q("SELECT article_id, parties, brokers, place_country, place_name, geonameid, place_source "
                      "FROM agreement_mentions WHERE agreement_id = ?", (aid,)).fetchall()
            records = q("SELECT COUNT(*) FROM agreement_records WHERE agreement_id = ?", (aid,)).fetchone()[0]
            if not ments and not records and row["origin"] == "detected":
                q("DELETE FROM agreements WHERE id = ?", (aid,))
                continue
            support: Counter = Counter()
            info: dict = {}
            for m in ments:
                for role, blob in (("party", m["parties"]), ("broker", m["brokers"])):
                    for a in json.loads(blob or "[]"):
                        if a.get("code"):
                            support[role, a["code"]] += 1
                            info[role, a["code"]] = a
            self.set_parties(aid, "detected", [
                {"role": role, "code": code, "country": info[role, code].get("country"),
                 "name": info[role, code].get("name"), "support": n} for (role, code), n in support.items()])
            states = q("SELECT state, date FROM agreement_states WHERE agreement_id = ? AND date IS NOT NULL "
                       "AND modality IN ('asserted', 'reported', 'record')", (aid,)).fetchall()
            dates = sorted(s["date"] for s in states)
            latest = max(states, key=lambda s: (s["date"], _STATE_ORDER.get(s["state"], 0)), default=None)
            upd = {"mentions": len(ments), "articles": len({m["article_id"] for m in ments}),
                   "first_date": dates[0] if dates else None, "last_date": dates[-1] if dates else None,
                   "state": latest["state"] if latest else None}
            if row["origin"] == "detected":
                places = Counter((m["place_country"], m["place_name"], m["geonameid"]) for m in ments
                                 if m["place_country"] and m["place_source"] in ("text", "modifier"))
                for weaker in ("article", "uncertain"):
                    places = places or Counter((m["place_country"], m["place_name"], m["geonameid"]) for m in ments
                                               if m["place_country"] and m["place_source"] == weaker)
                if places:
                    (c, n, g), _k = places.most_common(1)[0]
                    upd.update(place_country=c, place_name=n, geonameid=g)
            sets = ", ".join(f"{k} = ?" for k in upd)
            q(f"UPDATE agreements SET {sets}, updated_at = ? WHERE id = ?", [*upd.values(), now(), aid])

    # --- reading --------------------------------------------------------------------------
    def agreement_candidates(self, types: tuple[str, ...], country: str | None) -> list[dict]:
        """Agreements a new mention could refer to: of these types, in this country (or placeless)."""
        marks = ",".join("?" * len(types))
        sql = f"SELECT * FROM agreements WHERE type IN ({marks})"
        params: list = list(types)
        if country:
            sql += " AND (place_country = ? OR place_country IS NULL)"
            params.append(country)
        out = []
        for r in self.conn.execute(sql, params).fetchall():
            rec = dict(r)
            rec["party_rows"] = [dict(p) for p in self.conn.execute(
                "SELECT role, code, country, support, origin FROM agreement_parties WHERE agreement_id = ?", (r["id"],))]
            rec["dates"] = [x[0] for x in self.conn.execute(
                "SELECT date FROM agreement_states WHERE agreement_id = ? AND date IS NOT NULL "
                "UNION SELECT substr(a.published, 1, 10) FROM agreement_mentions m JOIN articles a "
                "ON a.id = m.article_id WHERE m.agreement_id = ? AND a.published IS NOT NULL", (r["id"], r["id"]))]
            out.append(rec)
        return out

    def agreement_row(self, agreement_id: str) -> dict | None:
        row = self.conn.execute("SELECT * FROM agreements WHERE id = ?", (agreement_id,)).fetchone()
        if row is None:
            row = self.conn.execute("SELECT * FROM agreements WHERE id LIKE ? ORDER BY id LIMIT 2",
                                    (agreement_id + "%",)).fetchall()
            row = row[0] if len(row) == 1 else None
        if row is None:
            return None
        rec = dict(row)
        aid = rec["id"]
        rec["party_rows"] = [dict(p) for p in self.conn.execute(
            "SELECT role, code, country, name, support, origin FROM agreement_parties WHERE agreement_id = ? "
            "ORDER BY role, support DESC, code", (aid,))]
        rec["records"] = [{"dataset": r["dataset"], "record_id": r["record_id"], "title": r["title"],
                           "data": json.loads(r["data"])} for r in self.conn.execute(
            "SELECT * FROM agreement_records WHERE agreement_id = ? ORDER BY dataset, record_id", (aid,))]
        return rec

    def list_agreement_ids(self, party: str | None = None, place: str | None = None, type_: str | None = None,
                           state: str | None = None, since: str | None = None, until: str | None = None) -> list[str]:
        where, params = [], []
        if party:
            where.append("id IN (SELECT agreement_id FROM agreement_parties WHERE upper(code) LIKE ? "
                         "OR upper(country) = ? OR upper(name) LIKE ?)")
            params += [party.upper() + "%", party.upper(), f"%{party.upper()}%"]
        if place:
            where.append("(upper(place_country) = ? OR upper(place_name) LIKE ?)")
            params += [place.upper(), f"%{place.upper()}%"]
        if type_:
            where.append("type = ?")
            params.append(type_)
        if state:
            where.append("id IN (SELECT agreement_id FROM agreement_states WHERE state = ?)")
            params.append(state)
        if since:
            where.append("COALESCE(last_date, first_date) >= ?")
            params.append(since)
        if until:
            where.append("COALESCE(first_date, last_date) <= ?")
            params.append(until)
        sql = "SELECT id FROM agreements" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY first_date IS NULL, first_date, id"
        return [r[0] for r in self.conn.execute(sql, params).fetchall()]

    def agreement_state_rows(self, agreement_id: str) -> list[dict]:
        sql = ("SELECT s.*, a.published, a.outlet, a.url, a.title FROM agreement_states s "
               "LEFT JOIN articles a ON a.id = s.article_id WHERE s.agreement_id = ? "
               "ORDER BY s.date IS NULL, s.date, s.origin, s.article_id, s.cue_start")
        return [dict(r) for r in self.conn.execute(sql, (agreement_id,)).fetchall()]

    def agreement_mention_rows(self, agreement_id: str | None = None, article_id: str | None = None) -> list[dict]:
        where, params = [], []
        if agreement_id:
            where.append("m.agreement_id = ?")
            params.append(agreement_id)
        if article_id:
            where.append("m.article_id = ?")
            params.append(article_id)
        sql = ("SELECT m.*, a.published, a.outlet, a.title FROM agreement_mentions m JOIN articles a ON a.id = m.article_id"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY a.published, m.article_id, m.start")
        return [dict(r) for r in self.conn.execute(sql, params).fetchall()]

    def iter_quote_rows(self, speaker: str | None = None, article_id: str | None = None, kind: str | None = None,
                        limit: int | None = None):
        where, params = [], []
        if speaker:
            s = speaker.upper()
            where.append("(upper(q.speaker_code) LIKE ? OR upper(q.speaker_country) = ? "
                         "OR upper(q.speaker_text) LIKE ? OR upper(q.speaker_name) LIKE ?)")
            params += [s + "%", s, f"%{s}%", f"%{s}%"]
        if article_id:
            where.append("q.article_id = ?")
            params.append(article_id)
        if kind:
            where.append("q.kind = ?")
            params.append(kind)
        sql = ("SELECT q.*, a.published, a.outlet, a.url, a.title FROM quotes q JOIN articles a ON a.id = q.article_id"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY a.published, q.article_id, q.start" + (f" LIMIT {int(limit)}" if limit else ""))
        for r in self.conn.execute(sql, params):
            yield dict(r)

    def accusation_rows(self, party: str | None = None, since: str | None = None, until: str | None = None,
                        agreement_id: str | None = None) -> list[dict]:
        where, params = [], []
        if party:
            p = party.upper()
            where.append("(upper(accuser_code) LIKE ? OR upper(accused_code) LIKE ? "
                         "OR upper(accuser_country) = ? OR upper(accused_country) = ?)")
            params += [p + "%", p + "%", p, p]
        if since:
            where.append("date >= ?")
            params.append(since)
        if until:
            where.append("date <= ?")
            params.append(until)
        if agreement_id:
            where.append("agreement_id = ?")
            params.append(agreement_id)
        sql = ("SELECT x.*, a.published, a.outlet, a.url FROM accusations x JOIN articles a ON a.id = x.article_id"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY x.date, x.article_id, x.sentence_start")
        return [dict(r) for r in self.conn.execute(sql, params).fetchall()]

    def tracking_stats(self) -> dict:
        q = self.conn.execute
        return {
            "agreements": q("SELECT COUNT(*) FROM agreements").fetchone()[0],
            "agreements_detected": q("SELECT COUNT(*) FROM agreements WHERE origin = 'detected'").fetchone()[0],
            "agreement_mentions": q("SELECT COUNT(*) FROM agreement_mentions").fetchone()[0],
            "linked_mentions": q("SELECT COUNT(*) FROM agreement_mentions WHERE agreement_id IS NOT NULL").fetchone()[0],
            "agreement_states": q("SELECT COUNT(*) FROM agreement_states").fetchone()[0],
            "accusations": q("SELECT COUNT(*) FROM accusations").fetchone()[0],
            "quotes": q("SELECT COUNT(*) FROM quotes").fetchone()[0],
            "tracked_articles": q("SELECT COUNT(*) FROM tracked_articles").fetchone()[0],
        }
