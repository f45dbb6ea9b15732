-- Tracking across articles (docs/tracking.md): agreements and ceasefires with their lifecycle,
-- the mentions that refer to them, accusations, quotes. All rows derived from an article are
-- replaced when the article is tracked again; agreements imported from curated records
-- (PA-X, ETH/PRIO) stay.

CREATE TABLE agreements (
    id            TEXT PRIMARY KEY,
    type          TEXT NOT NULL,            -- ceasefire | agreement | talks
    name          TEXT,                     -- a title (curated record) or a name from the text
    place_country TEXT,                     -- ISO 3166 alpha-3
    place_name    TEXT,
    geonameid     INTEGER,
    first_date    TEXT,
    last_date     TEXT,
    state         TEXT,                     -- latest lifecycle state
    origin        TEXT NOT NULL,            -- detected | imported
    created_from  TEXT,                     -- the mention or record that introduced it
    mentions      INTEGER NOT NULL DEFAULT 0,
    articles      INTEGER NOT NULL DEFAULT 0,
    updated_at    TEXT NOT NULL
);
CREATE INDEX agreements_place ON agreements(place_country, first_date);

-- Curated records attached to an agreement: PA-X AgtId, ETH/PRIO cf_id.
CREATE TABLE agreement_records (
    dataset      TEXT NOT NULL,             -- pax | ethprio
    record_id    TEXT NOT NULL,
    agreement_id TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    title        TEXT,
    data         TEXT NOT NULL,             -- JSON: the record's fields that were used
    imported_at  TEXT NOT NULL,
    PRIMARY KEY (dataset, record_id)
);
CREATE INDEX agreement_records_agreement ON agreement_records(agreement_id);

-- Parties and brokers, with how many mentions or records name them.
CREATE TABLE agreement_parties (
    agreement_id TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    role         TEXT NOT NULL,             -- party | broker
    code         TEXT NOT NULL,
    country      TEXT,
    name         TEXT,
    support      INTEGER NOT NULL DEFAULT 1,
    origin       TEXT NOT NULL,             -- detected | pax | ethprio
    PRIMARY KEY (agreement_id, role, code, origin)
);
CREATE INDEX agreement_parties_code ON agreement_parties(code);
CREATE INDEX agreement_parties_country ON agreement_parties(country);

-- Each mention of an agreement in an article and the entity it was linked to.
CREATE TABLE agreement_mentions (
    id              TEXT PRIMARY KEY,
    article_id      TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    agreement_id    TEXT REFERENCES agreements(id) ON DELETE SET NULL,
    cluster         INTEGER NOT NULL,       -- mentions of one agreement within the article
    sentence_index  INTEGER NOT NULL,
    sentence_start  INTEGER NOT NULL,
    sentence_end    INTEGER NOT NULL,
    sentence_text   TEXT NOT NULL,
    start           INTEGER NOT NULL,
    end             INTEGER NOT NULL,
    text            TEXT NOT NULL,
    term            TEXT NOT NULL,
    type            TEXT NOT NULL,
    definite        INTEGER NOT NULL,
    introduces      INTEGER NOT NULL,
    parties         TEXT NOT NULL DEFAULT '[]',   -- JSON actor list
    brokers         TEXT NOT NULL DEFAULT '[]',
    place_country   TEXT,
    place_name      TEXT,
    geonameid       INTEGER,
    place_source    TEXT,
    link_confidence REAL,
    link_reason     TEXT
);
CREATE INDEX agreement_mentions_article ON agreement_mentions(article_id);
CREATE INDEX agreement_mentions_agreement ON agreement_mentions(agreement_id);

-- Lifecycle states with their evidence: one row per sentence (or curated record) that says so.
CREATE TABLE agreement_states (
    id               TEXT PRIMARY KEY,
    agreement_id     TEXT REFERENCES agreements(id) ON DELETE CASCADE,
    mention_id       TEXT REFERENCES agreement_mentions(id) ON DELETE CASCADE,
    article_id       TEXT REFERENCES articles(id) ON DELETE CASCADE,   -- null for curated records
    state            TEXT NOT NULL,
    date             TEXT,
    date_precision   TEXT,
    date_source      TEXT,               -- text | publication | reference | event | record
    date_expression  TEXT,
    modality         TEXT NOT NULL,
    cue              TEXT,
    cue_start        INTEGER,
    cue_end          INTEGER,
    sentence_index   INTEGER,
    sentence_start   INTEGER,
    sentence_end     INTEGER,
    evidence         TEXT,               -- the sentence (or the record's title and fields)
    accuser_text     TEXT,
    accuser_code     TEXT,
    accuser_country  TEXT,
    accused_text     TEXT,
    accused_code     TEXT,
    accused_country  TEXT,
    attributed_text  TEXT,
    attributed_code  TEXT,
    event_id         TEXT,               -- the coded event it came from (events are replaced on re-coding: no FK)
    alleged_cameo    TEXT,
    origin           TEXT NOT NULL,      -- detected | pax | ethprio
    record_id        TEXT,
    confidence       REAL NOT NULL
);
CREATE INDEX agreement_states_agreement ON agreement_states(agreement_id, date);
CREATE INDEX agreement_states_article ON agreement_states(article_id);

-- Who accuses whom of what: coded ACCUSE events and alleged breaches of agreements.
CREATE TABLE accusations (
    id               TEXT PRIMARY KEY,
    article_id       TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    event_id         TEXT,
    date             TEXT,
    accuser_text     TEXT,
    accuser_code     TEXT,
    accuser_country  TEXT,
    accuser_sector   TEXT,
    accused_text     TEXT,
    accused_code     TEXT,
    accused_country  TEXT,
    accused_sector   TEXT,
    cameo            TEXT,               -- the accusation's own code (112, 1124, … ; 196 for a breach)
    alleged_cameo    TEXT,               -- the nested alleged event, if any
    alleged_event    TEXT,               -- its PLOVER type
    alleged_text     TEXT,
    agreement_id     TEXT REFERENCES agreements(id) ON DELETE SET NULL,
    modality         TEXT NOT NULL,
    sentence_index   INTEGER,
    sentence_start   INTEGER,
    sentence_end     INTEGER,
    sentence_text    TEXT,
    origin           TEXT NOT NULL       -- event | breach
);
CREATE INDEX accusations_dyad ON accusations(accuser_code, accused_code, date);
CREATE INDEX accusations_article ON accusations(article_id);

-- Quotes with their speakers (offsets are characters in articles.body).
CREATE TABLE quotes (
    id                 TEXT PRIMARY KEY,
    article_id         TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start              INTEGER NOT NULL,
    end                INTEGER NOT NULL,
    text               TEXT NOT NULL,
    kind               TEXT NOT NULL,     -- direct | partial | indirect
    speaker_text       TEXT,
    speaker_start      INTEGER,
    speaker_end        INTEGER,
    speaker_code       TEXT,
    speaker_country    TEXT,
    speaker_sector     TEXT,
    speaker_name       TEXT,
    speaker_confidence REAL,
    speaker_reason     TEXT,
    cue_text           TEXT,
    cue_start          INTEGER,
    cue_end            INTEGER,
    sentence_index     INTEGER,
    paragraphs         INTEGER NOT NULL DEFAULT 1,
    closed             INTEGER NOT NULL DEFAULT 1,
    confidence         REAL NOT NULL,
    reason             TEXT
);
CREATE INDEX quotes_article ON quotes(article_id, start);
CREATE INDEX quotes_speaker ON quotes(speaker_code);

-- Which articles were tracked, against which coding.
CREATE TABLE tracked_articles (
    article_id      TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    coded_at        TEXT,
    tracker_version TEXT NOT NULL,
    tracked_at      TEXT NOT NULL,
    mentions        INTEGER NOT NULL DEFAULT 0,
    quotes          INTEGER NOT NULL DEFAULT 0,
    accusations     INTEGER NOT NULL DEFAULT 0
);
