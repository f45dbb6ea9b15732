-- The article archive: plain tables, real foreign keys, an external-content FTS5 index.

CREATE TABLE articles (
    id           TEXT PRIMARY KEY,           -- hash of the normalised body
    url          TEXT,
    title        TEXT,
    outlet       TEXT,
    source_id    TEXT,                       -- the outlet's or the input's own id
    published    TEXT,                       -- ISO 8601 date or UTC date-time
    dateline     TEXT,
    captions     TEXT NOT NULL DEFAULT '[]', -- JSON array of caption strings
    body         TEXT NOT NULL,
    lang         TEXT,
    author       TEXT,
    kind         TEXT,                       -- textpage | html | record
    origin       TEXT,                       -- the input it was first read from
    location     TEXT,                       -- where in that input (line, WARC record)
    duplicate_of TEXT REFERENCES articles(id),  -- first-stored article of its near-duplicate cluster
    minhash      BLOB,                       -- MinHash signature (128 x uint32)
    ingested_at  TEXT NOT NULL
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
CREATE INDEX articles_lang ON articles(lang);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body, content='articles', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
    INSERT INTO articles_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;

-- LSH band keys of each article's MinHash signature (near-duplicate candidates).
CREATE TABLE minhash_bands (
    key        INTEGER NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;

-- Inputs that could not be used, with the reason; one row per (input, location, reason).
CREATE TABLE rejects (
    id         INTEGER PRIMARY KEY,
    input      TEXT NOT NULL,
    location   TEXT NOT NULL DEFAULT '',
    stage      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    times      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (input, location, reason)
);
