-- Coded events, one row per event, flattened for SQL and Datasette; evidence offsets are
-- characters in articles.body. Nested claims point at their parent event.

CREATE TABLE events (
    id                 TEXT PRIMARY KEY,
    article_id         TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    parent             TEXT REFERENCES events(id) ON DELETE CASCADE,
    sentence_index     INTEGER NOT NULL,
    sentence_start     INTEGER NOT NULL,
    sentence_end       INTEGER NOT NULL,
    sentence_text      TEXT NOT NULL,
    trigger_text       TEXT NOT NULL,
    trigger_start      INTEGER NOT NULL,
    trigger_end        INTEGER NOT NULL,
    source_text        TEXT,
    source_start       INTEGER,
    source_end         INTEGER,
    source_code        TEXT,
    source_country     TEXT,
    source_sector      TEXT,
    source_name        TEXT,
    source_confidence  REAL,
    source_reason      TEXT,
    target_text        TEXT,
    target_start       INTEGER,
    target_end         INTEGER,
    target_code        TEXT,
    target_country     TEXT,
    target_sector      TEXT,
    target_name        TEXT,
    target_confidence  REAL,
    target_reason      TEXT,
    cameo              TEXT NOT NULL,
    cameo_root         TEXT NOT NULL,
    quad_class         INTEGER NOT NULL,
    goldstein          REAL NOT NULL,
    plover_event       TEXT,
    plover_mode        TEXT,
    plover_context     TEXT,
    modality           TEXT NOT NULL,
    attributed_text    TEXT,
    attributed_start   INTEGER,
    attributed_end     INTEGER,
    attributed_code    TEXT,
    attributed_country TEXT,
    attributed_sector  TEXT,
    date               TEXT,
    date_precision     TEXT,
    date_source        TEXT,
    date_expression    TEXT,
    place_text         TEXT,
    place_start        INTEGER,
    place_end          INTEGER,
    place_name         TEXT,
    geonameid          INTEGER,
    place_country      TEXT,
    place_admin1       TEXT,
    latitude           REAL,
    longitude          REAL,
    place_feature      TEXT,
    place_precision    TEXT,
    place_confidence   REAL,
    confidence         REAL NOT NULL,
    rule               TEXT,
    coder_version      TEXT NOT NULL
);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_dyad ON events(source_country, target_country, date);
CREATE INDEX events_cameo ON events(cameo_root, date);
CREATE INDEX events_plover ON events(plover_event, date);
CREATE INDEX events_parent ON events(parent);

-- Which articles were coded, by which coder, and how it went (failures keep their reason).
CREATE TABLE coded_articles (
    article_id    TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    status        TEXT NOT NULL,              -- ok | failed | skipped
    reason        TEXT,
    events        INTEGER NOT NULL DEFAULT 0,
    coder_version TEXT NOT NULL,
    coded_at      TEXT NOT NULL
);
