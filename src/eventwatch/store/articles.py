"""Articles, near-duplicate bands, rejects and full-text search."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from eventwatch.model import Article, Reject
from eventwatch.store.db import now

HL_START, HL_END = "\x02", "\x03"  # snippet highlight markers; renderers escape, then replace

_ARTICLE_COLS = (
    "id, url, title, outlet, source_id, published, dateline, captions, body, lang, author, "
    "kind, origin, location, duplicate_of, ingested_at"
)


@dataclass(slots=True)
class SearchHit:
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    snippet: str
    rank: float
    cluster: str
    cluster_hits: int


def row_to_article(row: sqlite3.Row) -> Article:
    d = dict(row)
    d["captions"] = json.loads(d.get("captions") or "[]")
    return Article(**{k: d[k] for k in d if k in Article.__slots__})


class ArticlesMixin:
    conn: sqlite3.Connection

    # --- writing -------------------------------------------------------------------
    def add_article(self, a: Article, minhash: bytes | None = None) -> bool:
        """Insert an article; when its id is already stored, fill in missing metadata.

        Returns True when the article is new.
        """
        cur = self.conn.execute(
            f"INSERT OR IGNORE INTO articles ({_ARTICLE_COLS}, minhash) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                a.id, a.url, a.title, a.outlet, a.source_id, a.published, a.dateline,
                json.dumps(a.captions, ensure_ascii=False), a.body, a.lang, a.author,
                a.kind, a.origin, a.location, a.duplicate_of, a.ingested_at or now(), minhash,
            ),
        )
        if cur.rowcount:
            return True
        given = [f for f in Article.METADATA if getattr(a, f) is not None]
        if given:
            # Only rows that lack one of the given values are written: an UPDATE that names the
            # title re-indexes the whole body in FTS, so a plain re-run must not touch the row.
            sets = ", ".join(f"{f} = COALESCE({f}, ?)" for f in given)
            missing = " OR ".join(f"{f} IS NULL" for f in given)
            self.conn.execute(
                f"UPDATE articles SET {sets} WHERE id = ? AND ({missing})",
                [getattr(a, f) for f in given] + [a.id],
            )
        return False

    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def add_bands(self, article_id: str, keys: list[int]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO minhash_bands (key, article_id) VALUES (?, ?)",
            [(k, article_id) for k in keys],
        )

    def band_candidates(self, keys: list[int], limit: int = 20) -> list[sqlite3.Row]:
        """Stored articles sharing at least one LSH band key, most shared bands first
        (``id``, ``duplicate_of``, ``minhash``, ``shared``; bodies via ``article_body``)."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        return self.conn.execute(
            f"SELECT a.id, a.duplicate_of, a.minhash, c.shared FROM "
            f"(SELECT article_id, COUNT(*) AS shared FROM minhash_bands WHERE key IN ({marks}) "
            f" GROUP BY article_id) c JOIN articles a ON a.id = c.article_id "
            f"ORDER BY c.shared DESC, a.rowid LIMIT ?",
            (*keys, limit),
        ).fetchall()

    def article_body(self, article_id: str) -> str | None:
        row = self.conn.execute("SELECT body FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def record_reject(self, r: Reject) -> None:
        t = now()
        self.conn.execute(
            "INSERT INTO rejects (input, location, stage, reason, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (input, location, reason) "
            "DO UPDATE SET last_seen = excluded.last_seen, times = times + 1",
            (r.input, r.location or "", r.stage, r.reason, t, t),
        )

    # --- reading -------------------------------------------------------------------
    def resolve_article_id(self, prefix: str) -> str | None:
        """Full id for an id or a unique prefix of one (at least 6 characters)."""
        if self.has_article(prefix):
            return prefix
        if len(prefix) < 6 or not re.fullmatch(r"[0-9a-f]+", prefix):
            return None
        rows = self.conn.execute(
            "SELECT id FROM articles WHERE id >= ? AND id < ? LIMIT 2", (prefix, prefix + "g")
        ).fetchall()
        return rows[0]["id"] if len(rows) == 1 else None

    def get_article(self, article_id: str) -> Article | None:
        full = self.resolve_article_id(article_id)
        if full is None:
            return None
        row = self.conn.execute(f"SELECT {_ARTICLE_COLS} FROM articles WHERE id = ?", (full,)).fetchone()
        return row_to_article(row) if row else None

    def iter_articles(self, where: str = "", params=()) -> Iterator[Article]:
        sql = f"SELECT {_ARTICLE_COLS} FROM articles {where} ORDER BY rowid"
        for row in self.conn.execute(sql, params):
            yield row_to_article(row)

    def iter_rejects(self) -> Iterator[sqlite3.Row]:
        yield from self.conn.execute(
            "SELECT input, location, stage, reason, first_seen, last_seen, times FROM rejects ORDER BY id"
        )

    def search(self, query: str, limit: int = 20, collapse: bool = False) -> list[SearchHit]:
        """BM25-ranked full-text search (title weighted ×4) with highlighted snippets."""
        try:
            return self._search(query, limit, collapse)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "disk" in str(exc):
                raise
            # A query FTS5 cannot parse (syntax, unterminated quote, unknown column filter
            # such as "-x" or "foo:bar"): search its words as plain terms, without operators.
            terms = [t for t in re.findall(r"\w+", query) if t not in ("AND", "OR", "NOT", "NEAR")]
            if not terms:
                return []
            safe = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
            return self._search(safe, limit, collapse)

    def _search(self, match: str, limit: int, collapse: bool) -> list[SearchHit]:
        sql = f"""
        WITH hits AS (
          SELECT a.id, a.title, a.outlet, a.published, a.rowid AS rid,
                 snippet(articles_fts, 1, '{HL_START}', '{HL_END}', '…', 24) AS snip,
                 bm25(articles_fts, 4.0, 1.0) AS rank,
                 COALESCE(a.duplicate_of, a.id) AS cluster
          FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
          WHERE articles_fts MATCH ?
        ), ranked AS (
          SELECT *, ROW_NUMBER() OVER (PARTITION BY cluster ORDER BY rank, rid) AS rn,
                    COUNT(*) OVER (PARTITION BY cluster) AS n
          FROM hits
        )
        SELECT * FROM ranked {"WHERE rn = 1" if collapse else ""} ORDER BY rank, rid LIMIT ?
        """
        rows = self.conn.execute(sql, (match, limit)).fetchall()
        return [
            SearchHit(r["id"], r["title"], r["outlet"], r["published"], r["snip"], r["rank"],
                      r["cluster"], r["n"])
            for r in rows
        ]

    def archive_stats(self) -> dict:
        q = self.conn.execute
        out = {
            "articles": q("SELECT COUNT(*) FROM articles").fetchone()[0],
            "near_duplicates": q("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0],
            "clusters_with_duplicates": q(
                "SELECT COUNT(DISTINCT duplicate_of) FROM articles WHERE duplicate_of IS NOT NULL"
            ).fetchone()[0],
            "rejects": q("SELECT COUNT(*) FROM rejects").fetchone()[0],
            "undated": q("SELECT COUNT(*) FROM articles WHERE published IS NULL").fetchone()[0],
        }
        lo, hi = q("SELECT MIN(substr(published,1,10)), MAX(substr(published,1,10)) FROM articles").fetchone()
        out["published_range"] = [lo, hi]
        for col in ("kind", "lang", "outlet"):
            out[f"by_{col}"] = {
                (r[0] if r[0] is not None else "unknown"): r[1]
                for r in q(f"SELECT {col}, COUNT(*) FROM articles GROUP BY {col} ORDER BY 2 DESC LIMIT 15")
            }
        return out
